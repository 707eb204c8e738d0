package dev.longshot.timeline;

/**
 * An axis-aligned box in normalised frame coordinates: (0,0) is the top-left corner, (1,1) the bottom-right,
 * so boxes survive keyframe rescaling.
 *
 * @param x left edge, 0..1
 * @param y top edge, 0..1
 * @param width 0..1
 * @param height 0..1
 * @param label what is in the box (a word for OCR, a class name for detections), may be empty
 * @param confidence 0..1
 */
public record BoundingBox(double x, double y, double width, double height, String label, double confidence) {
  public BoundingBox {
    if (!(width >= 0 && height >= 0) || Double.isNaN(x) || Double.isNaN(y)) {
      throw new IllegalArgumentException("Invalid box x=" + x + " y=" + y + " w=" + width + " h=" + height);
    }
    label = label == null ? "" : label;
  }

  public double centerX() {
    return x + width / 2;
  }

  public double centerY() {
    return y + height / 2;
  }

  public double area() {
    return width * height;
  }

  /** Intersection over union with {@code o}, 0..1. */
  public double iou(BoundingBox o) {
    double ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
    double iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
    double inter = ix * iy;
    double union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
