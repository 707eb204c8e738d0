package dev.longshot.ingest.media;

import java.util.Objects;

/**
 * A frame shrunk to {@value #WIDTH}x{@value #HEIGHT} 8-bit luma by area averaging, whatever its size and aspect:
 * enough to see a cut, a slide change, a new line of text or one changed digit of 720p slide text (issue 14: at
 * 160x90 a changed digit moved only 3 pixels), small enough to compare in microseconds.
 *
 * @param pixels {@code WIDTH * HEIGHT} luma bytes, row-major
 */
public record LumaThumb(byte[] pixels) {
  public static final int WIDTH = 320;
  public static final int HEIGHT = 180;
  /** A pixel counts as changed when its luma moves by more than this (0..255). */
  public static final int PIXEL_DELTA = 40;

  public LumaThumb {
    Objects.requireNonNull(pixels, "pixels");
    if (pixels.length != WIDTH * HEIGHT) {
      throw new IllegalArgumentException("Thumb needs " + WIDTH * HEIGHT + " pixels, got " + pixels.length);
    }
  }

  /**
   * How much this thumbnail differs from another, both measures from one pass over the pixels.
   *
   * @param mean mean absolute luma difference, 0..1: large for cuts and full-slide changes
   * @param changedFraction fraction of pixels whose luma moved by more than {@link #PIXEL_DELTA}, 0..1: catches a
   *     changed line of text or word on an otherwise identical slide, which barely moves the mean
   */
  public record Difference(double mean, double changedFraction) {}

  private static final Difference SAME = new Difference(0, 0);

  /** The {@link Difference} to {@code o}. */
  public Difference difference(LumaThumb o) {
    byte[] a = pixels;
    byte[] b = o.pixels;
    if (java.util.Arrays.equals(a, b)) {
      return SAME; // a still picture: the common case, checked by a vectorised compare
    }
    long sum = 0;
    int changed = 0;
    for (int i = 0; i < a.length; i++) {
      int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
      sum += d;
      changed += d > PIXEL_DELTA ? 1 : 0;
    }
    return new Difference(sum / (255.0 * a.length), changed / (double) a.length);
  }

  /** Mean absolute luma difference to {@code o}, 0..1 ({@link Difference#mean}). */
  public double meanDifference(LumaThumb o) {
    return difference(o).mean();
  }

  /** Fraction of pixels whose luma moved by more than {@link #PIXEL_DELTA} ({@link Difference#changedFraction}). */
  public double changedFraction(LumaThumb o) {
    return difference(o).changedFraction();
  }
}
