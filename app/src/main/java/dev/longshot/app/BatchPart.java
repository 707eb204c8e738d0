package dev.longshot.app;

import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One machine's share of a batch ({@code bin/longshot index DIR --part i/n}): the files whose content id, read as a
 * number, is {@code i - 1} modulo {@code n}. The share depends on content only, so n machines given the same folder
 * (a shared mount) split it without talking to each other, whatever paths they mount it under, and a renamed file
 * stays in its part. A file whose id cannot be read falls to part 1, so its failure is reported once.
 *
 * @param index 1-based part number, 1..count
 * @param count number of parts, 1..10000
 */
public record BatchPart(int index, int count) {
  /** The whole batch. */
  public static final BatchPart ALL = new BatchPart(1, 1);
  private static final Pattern FORM = Pattern.compile("(\\d{1,5})/(\\d{1,5})");

  public BatchPart {
    if (count < 1 || count > 10_000 || index < 1 || index > count) {
      throw new IllegalArgumentException("--part must be i/n with 1 <= i <= n <= 10000, got " + index + "/" + count);
    }
  }

  /** Parses {@code i/n}, e.g. {@code 2/3}. */
  public static BatchPart parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--part must be i/n with 1 <= i <= n (e.g. 2/3), got \"" + text + "\"");
    }
    return new BatchPart(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** True when the video with content id {@code videoId} belongs to this part. */
  public boolean contains(String videoId) {
    long n = Long.parseUnsignedLong(VideoId.require(videoId), 16);
    return Long.remainderUnsigned(n, count) == index - 1;
  }

  /** The files of {@code files} in this part, in their order. */
  public List<Path> select(List<Path> files) {
    if (count == 1) {
      return files;
    }
    List<Path> out = new ArrayList<>();
    for (Path f : files) {
      boolean mine;
      try {
        mine = contains(VideoId.of(f));
      } catch (IOException | RuntimeException e) {
        mine = index == 1;
      }
      if (mine) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
