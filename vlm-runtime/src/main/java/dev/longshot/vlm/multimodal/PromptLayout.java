package dev.longshot.vlm.multimodal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which token positions of a multimodal prompt are vision and which are text, and how each image's tokens form a
 * grid: the layout the modality-aware sparse prefill (issue 17) and the multimodal KV compression (issue 18) work
 * from. The ranges are contiguous and cover positions {@code [0, length())} in order.
 *
 * <p>One image (a still, or one video frame) gives one {@link Modality#VISION} range per tile: a split image has a
 * range per tile ({@code tileRow, tileCol >= 0}) and one for its global view ({@code tileRow == tileCol == -1}); an
 * unsplit image or a video frame has only the global range. Inside a vision range the tokens are row-major over
 * {@code rows x cols} (SmolVLM: {@code image_seq_len} tokens, e.g. 8 x 8 after the pixel shuffle), so token
 * {@code start + r * cols + c} sits at grid cell {@code (r, c)}. The marker tokens around images
 * ({@code <fake_token_around_image>}, {@code <row_1_col_1>}, {@code <global-img>}, timestamps) are TEXT ranges.
 * Immutable and thread-safe.
 *
 * @param ranges the ranges in position order
 */
public record PromptLayout(List<Range> ranges) {

  /**
   * A run of positions {@code [start, end)} of one modality.
   *
   * @param modality text or vision
   * @param start first position
   * @param end one past the last position
   * @param image index of the image or frame in the prompt (0-based), -1 for text
   * @param tileRow tile row of a split image (0-based), -1 for the global view and for text
   * @param tileCol tile column of a split image (0-based), -1 for the global view and for text
   * @param rows token rows of a vision range's grid (0 for text)
   * @param cols tokens per grid row of a vision range (0 for text)
   * @param timestampMillis the video time the frame shows, -1 when not a video frame or for text
   */
  public record Range(Modality modality, int start, int end, int image, int tileRow, int tileCol, int rows, int cols,
      long timestampMillis) {
    public Range {
      if (modality == null || start < 0 || end <= start) {
        throw new IllegalArgumentException("a range needs a modality and 0 <= start < end, got " + modality + " ["
            + start + ", " + end + ")");
      }
      if (modality == Modality.VISION && (rows <= 0 || cols <= 0 || (long) rows * cols != end - start
          || image < 0)) {
        throw new IllegalArgumentException("a vision range of " + (end - start) + " tokens needs rows x cols equal "
            + "to it and an image index >= 0, got " + rows + " x " + cols + ", image " + image);
      }
      if (modality == Modality.TEXT && (rows != 0 || cols != 0 || image != -1)) {
        throw new IllegalArgumentException("a text range has no grid and no image, got " + rows + " x " + cols
            + ", image " + image);
      }
    }

    /** Positions in the range. */
    public int length() {
      return end - start;
    }

    /** True for the global view of an image (or an unsplit image / video frame). */
    public boolean isGlobalView() {
      return modality == Modality.VISION && tileRow < 0;
    }

    /** True when {@code position} is inside the range. */
    public boolean contains(int position) {
      return position >= start && position < end;
    }
  }

  public PromptLayout {
    ranges = List.copyOf(ranges);
    int expect = 0;
    for (Range r : ranges) {
      if (r.start() != expect) {
        throw new IllegalArgumentException("layout ranges must be contiguous from 0: expected a range at " + expect
            + ", got one at " + r.start());
      }
      expect = r.end();
    }
  }

  /** Positions covered (the prompt's token count). */
  public int length() {
    return ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1).end();
  }

  /** The range holding {@code position} (binary search). */
  public Range rangeAt(int position) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Range r = ranges.get(mid);
      if (position < r.start()) {
        hi = mid - 1;
      } else if (position >= r.end()) {
        lo = mid + 1;
      } else {
        return r;
      }
    }
    throw new IndexOutOfBoundsException("position " + position + " is outside the layout [0, " + length() + ")");
  }

  /** The modality of {@code position}. */
  public Modality modalityAt(int position) {
    return rangeAt(position).modality();
  }

  /** One entry per position, for kernels that want a flat mask. */
  public Modality[] modalities() {
    Modality[] out = new Modality[length()];
    for (Range r : ranges) {
      java.util.Arrays.fill(out, r.start(), r.end(), r.modality());
    }
    return out;
  }

  /** The vision ranges in position order. */
  public List<Range> visionRanges() {
    return ranges.stream().filter(r -> r.modality() == Modality.VISION).toList();
  }

  /** The text ranges in position order. */
  public List<Range> textRanges() {
    return ranges.stream().filter(r -> r.modality() == Modality.TEXT).toList();
  }

  /** Images (or frames) in the prompt. */
  public int imageCount() {
    return ranges.stream().mapToInt(Range::image).max().orElse(-1) + 1;
  }

  /** Vision tokens of image {@code image} (all its tiles and the global view). */
  public int visionTokensOf(int image) {
    return ranges.stream().filter(r -> r.image() == image).mapToInt(Range::length).sum();
  }

  /** Vision tokens in the whole prompt. */
  public int visionTokens() {
    return ranges.stream().filter(r -> r.modality() == Modality.VISION).mapToInt(Range::length).sum();
  }

  /** A builder appending ranges in order; also the way to write synthetic layouts in tests. */
  public static Builder builder() {
    return new Builder();
  }

  /** Appends ranges at the next free position; adjacent text runs are merged. */
  public static final class Builder {
    private final List<Range> ranges = new ArrayList<>();
    private int next;

    /** Appends {@code count} text positions (nothing when 0). */
    public Builder text(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("text token count must be >= 0, got " + count);
      }
      if (count == 0) {
        return this;
      }
      if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).modality() == Modality.TEXT) {
        Range last = ranges.remove(ranges.size() - 1);
        ranges.add(new Range(Modality.TEXT, last.start(), last.end() + count, -1, -1, -1, 0, 0, -1));
      } else {
        ranges.add(new Range(Modality.TEXT, next, next + count, -1, -1, -1, 0, 0, -1));
      }
      next += count;
      return this;
    }

    /** Appends the global view (or the whole) of image {@code image}: {@code rows x cols} vision positions. */
    public Builder vision(int image, int rows, int cols, long timestampMillis) {
      return tile(image, -1, -1, rows, cols, timestampMillis);
    }

    /** Appends tile {@code (tileRow, tileCol)} of image {@code image}: {@code rows x cols} vision positions. */
    public Builder tile(int image, int tileRow, int tileCol, int rows, int cols, long timestampMillis) {
      int n = rows * cols;
      ranges.add(new Range(Modality.VISION, next, next + n, image, tileRow, tileCol, rows, cols, timestampMillis));
      next += n;
      return this;
    }

    /** Positions appended so far. */
    public int length() {
      return next;
    }

    public PromptLayout build() {
      return new PromptLayout(ranges);
    }
  }
}
