package dev.longshot.ingest.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy per-class non-maximum suppression: within one label, the most confident box wins and every box whose IoU
 * with a kept box exceeds {@code iouThreshold} is dropped. Boxes of different labels never suppress each other.
 * Stateless and thread-safe.
 */
final class NonMaxSuppression {
  private NonMaxSuppression() {}

  /** Survivors, most confident first, at most {@code maxDetections}. */
  static List<Detection> apply(List<Detection> candidates, double iouThreshold, int maxDetections) {
    List<Detection> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Detection::confidence).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      if (kept.size() == maxDetections) {
        break;
      }
      boolean suppressed = false;
      for (Detection k : kept) {
        if (k.label().equals(d.label()) && k.box().iou(d.box()) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(d);
      }
    }
    return kept;
  }
}
