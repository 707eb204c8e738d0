package dev.longshot.ingest.detect;

import dev.longshot.timeline.BoundingBox;
import java.util.Objects;

/**
 * One detected object.
 *
 * @param label class name in lower case, e.g. {@code person}, {@code face}, {@code dog}
 * @param confidence 0..1
 * @param box normalised box (0..1 of the frame's width and height)
 */
public record Detection(String label, double confidence, BoundingBox box) {
  public Detection {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(box, "box");
  }
}
