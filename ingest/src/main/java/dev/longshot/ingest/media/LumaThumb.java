package dev.longshot.ingest.media;

import java.util.Objects;

/**
 * A frame shrunk to {@value #WIDTH}x{@value #HEIGHT} 8-bit luma by area averaging, whatever its size and aspect:
 * enough to see a cut, a slide change or a new line of text, small enough to compare in microseconds.
 *
 * @param pixels {@code WIDTH * HEIGHT} luma bytes, row-major
 */
public record LumaThumb(byte[] pixels) {
  public static final int WIDTH = 160;
  public static final int HEIGHT = 90;
  /** A pixel counts as changed when its luma moves by more than this (0..255). */
  public static final int PIXEL_DELTA = 40;

  public LumaThumb {
    Objects.requireNonNull(pixels, "pixels");
    if (pixels.length != WIDTH * HEIGHT) {
      throw new IllegalArgumentException("Thumb needs " + WIDTH * HEIGHT + " pixels, got " + pixels.length);
    }
  }

  /** Mean absolute luma difference to {@code o}, 0..1: large for cuts and full-slide changes. */
  public double meanDifference(LumaThumb o) {
    byte[] a = pixels;
    byte[] b = o.pixels;
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return sum / (255.0 * a.length);
  }

  /**
   * Fraction of pixels whose luma moved by more than {@link #PIXEL_DELTA}, 0..1: catches a changed line of text
   * on an otherwise identical slide, which barely moves the mean.
   */
  public double changedFraction(LumaThumb o) {
    byte[] a = pixels;
    byte[] b = o.pixels;
    int changed = 0;
    for (int i = 0; i < a.length; i++) {
      if (Math.abs((a[i] & 0xff) - (b[i] & 0xff)) > PIXEL_DELTA) {
        changed++;
      }
    }
    return changed / (double) a.length;
  }
}
