package dev.longshot.ingest.ocr;

/**
 * Helpers for a text line's quadrilateral: four {@code {x, y}} corners ordered top-left, top-right, bottom-right,
 * bottom-left, in frame pixels (what {@link RotatedBox#corners()} returns).
 */
final class Quads {
  private Quads() {}

  static double dist(float[] a, float[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  /** The longer of the top and bottom edges. */
  static double width(float[][] q) {
    return Math.max(dist(q[0], q[1]), dist(q[2], q[3]));
  }

  /** The longer of the left and right edges. */
  static double height(float[][] q) {
    return Math.max(dist(q[0], q[3]), dist(q[1], q[2]));
  }

  /** Boxes at least 1.5 times taller than wide hold vertical text: their crop is turned a quarter. */
  static boolean isTurned(float[][] q) {
    return height(q) / Math.max(1, (int) width(q)) >= 1.5;
  }
}
