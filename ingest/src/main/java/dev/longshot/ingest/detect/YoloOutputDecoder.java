package dev.longshot.ingest.detect;

import dev.longshot.timeline.BoundingBox;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the raw output of an exported YOLOv8/v11 detection model into detections. The output is {@code [1, 4 + C,
 * N]} (Ultralytics' export: per candidate, box centre x, centre y, width, height in letterboxed model pixels, then
 * C class scores, no objectness); the transposed {@code [1, N, 4 + C]} layout is accepted too and recognised by
 * which axis equals {@code 4 + C}. Candidates take their best class, are thresholded, mapped back through the
 * letterbox, clipped to the frame, normalised, and go through per-class NMS. Stateless and thread-safe.
 */
final class YoloOutputDecoder {
  static final int MAX_DETECTIONS = 300;

  private YoloOutputDecoder() {}

  /**
   * @param output the model's first output, batch 0: {@code output[0]} as {@code float[4 + C][N]} or
   *     {@code float[N][4 + C]}
   * @param classNames class index to name; its size is C
   */
  static List<Detection> decode(float[][] output, List<String> classNames, Letterbox lb, double minConfidence,
      double nmsIou) {
    int attrs = 4 + classNames.size();
    boolean channelsFirst = output.length == attrs;
    if (!channelsFirst && (output.length == 0 || output[0].length != attrs)) {
      throw new IllegalArgumentException("YOLO output shape [" + output.length + ", "
          + (output.length == 0 ? 0 : output[0].length) + "] matches neither [4+C, N] nor [N, 4+C] for C="
          + classNames.size());
    }
    int n = channelsFirst ? output[0].length : output.length;
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bestScore = -1;
      for (int c = 0; c < classNames.size(); c++) {
        double s = channelsFirst ? output[4 + c][i] : output[i][4 + c];
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (bestScore < minConfidence) {
        continue;
      }
      double cx = at(output, channelsFirst, 0, i);
      double cy = at(output, channelsFirst, 1, i);
      double w = at(output, channelsFirst, 2, i);
      double h = at(output, channelsFirst, 3, i);
      BoundingBox box = frameBox(lb, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, classNames.get(best), bestScore);
      if (box.width() > 0 && box.height() > 0) {
        candidates.add(new Detection(classNames.get(best), bestScore, box));
      }
    }
    return NonMaxSuppression.apply(candidates, nmsIou, MAX_DETECTIONS);
  }

  private static double at(float[][] out, boolean channelsFirst, int attr, int i) {
    return channelsFirst ? out[attr][i] : out[i][attr];
  }

  private static BoundingBox frameBox(Letterbox lb, double x0, double y0, double x1, double y1, String label,
      double score) {
    double fw = lb.frameWidth();
    double fh = lb.frameHeight();
    double l = clamp(lb.frameX(x0), fw) / fw;
    double t = clamp(lb.frameY(y0), fh) / fh;
    double r = clamp(lb.frameX(x1), fw) / fw;
    double b = clamp(lb.frameY(y1), fh) / fh;
    return new BoundingBox(l, t, Math.max(0, r - l), Math.max(0, b - t), label, score);
  }

  private static double clamp(double v, double max) {
    return Math.max(0, Math.min(max, v));
  }
}
