package dev.longshot.ingest.subtitle;

import dev.longshot.config.OneLine;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses SubRip ({@code .srt}) and WebVTT ({@code .vtt}) cue text into {@code SUBTITLE} segments. One parser serves
 * both: a cue is the line holding {@code -->} plus the text lines after it up to a blank line; an index or cue id
 * line before it is ignored, and so are VTT's header, {@code NOTE}, {@code STYLE} and {@code REGION} blocks.
 * Timestamps may use {@code ,} or {@code .} before the milliseconds and may omit the hours. Markup ({@code <i>},
 * {@code <c.x>}, {@code {\an8}}) is stripped; cues that end up empty are dropped. Thread-safe (stateless).
 */
public final class SubtitleParser {
  private static final Pattern TIME =
      Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{1,2})[,.](\\d{1,3})");
  private static final Pattern TAGS = Pattern.compile("<[^>]*>|\\{\\\\[^}]*}");

  /** Hours in a timestamp: at most 99999 (so the milliseconds cannot overflow). */
  static final int MAX_HOUR_DIGITS = 5;

  private SubtitleParser() {}

  /**
   * Cues of {@code text} as segments ordered by start.
   *
   * @param text whole file content
   * @param origin file or stream name, used in error messages
   * @throws IllegalArgumentException naming {@code origin} and the line when a timing line cannot be read or holds
   *     more than 99999 hours (one printable line, whatever the file held), or naming {@code origin} when it holds
   *     more than {@link Subtitles#MAX_CUES} cues
   */
  public static List<Segment> parse(String text, String origin) {
    String[] lines = text.replace("\uFEFF", "").split("\\r?\\n|\\r", -1);
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.contains("-->")) {
        continue;
      }
      long[] span = timing(line, origin, i + 1);
      StringBuilder cue = new StringBuilder();
      int j = i + 1;
      while (j < lines.length && !lines[j].isBlank() && !lines[j].contains("-->")) {
        String clean = TAGS.matcher(lines[j]).replaceAll("").strip();
        if (!clean.isEmpty()) {
          cue.append(cue.isEmpty() ? "" : " ").append(clean);
        }
        j++;
      }
      i = j - 1;
      String cueText = unescape(cue.toString()).replaceAll("\\s+", " ").strip();
      if (!cueText.isEmpty()) {
        Subtitles.requireRoomForCue(out.size(), origin);
        out.add(Segment.of(Modality.SUBTITLE, span[0], Math.max(span[0], span[1]), cueText));
      }
    }
    out.sort(Comparator.comparingLong(Segment::startMillis));
    return out;
  }

  private static long[] timing(String line, String origin, int lineNumber) {
    String[] parts = line.split("-->", 2);
    Matcher a = TIME.matcher(parts[0]);
    Matcher b = TIME.matcher(parts[1]);
    if (!a.find() || !b.find()) {
      throw new IllegalArgumentException(OneLine.of(
          "Unreadable subtitle timing \"" + line + "\" at line " + lineNumber + " of " + origin));
    }
    for (Matcher m : List.of(a, b)) {
      // more hours than this would overflow the milliseconds (and no video runs for eleven years)
      if (m.group(1) != null && m.group(1).replaceFirst("^0+", "").length() > MAX_HOUR_DIGITS) {
        throw new IllegalArgumentException(OneLine.of("Subtitle time \"" + m.group() + "\" at line " + lineNumber
            + " of " + origin + " has more than " + MAX_HOUR_DIGITS + " digits of hours"));
      }
    }
    return new long[] {millis(a), millis(b)};
  }

  private static long millis(Matcher m) {
    long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long min = Long.parseLong(m.group(2));
    long s = Long.parseLong(m.group(3));
    String frac = (m.group(4) + "00").substring(0, 3);
    return ((h * 60 + min) * 60 + s) * 1000 + Long.parseLong(frac);
  }

  private static String unescape(String s) {
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ");
  }
}
