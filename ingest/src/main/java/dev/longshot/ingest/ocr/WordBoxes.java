package dev.longshot.ingest.ocr;

import dev.longshot.ingest.ocr.CtcDecoder.Char;
import dev.longshot.timeline.BoundingBox;
import java.util.ArrayList;
import java.util.List;

/** A read line's characters become word boxes in the frame. Stateless. */
final class WordBoxes {
  private WordBoxes() {}

  /**
   * Splits a line's characters into words at spaces. A word spans from one time step before its first character
   * to two after its last (CTC fires near a character's start), cut at the midpoint to its neighbours, and is
   * mapped back through the line's quadrilateral {@code q} into a box normalised to the {@code width} x {@code
   * height} frame. A {@code flipped} crop (turned 180° after the classifier) reads from the quadrilateral's far end.
   */
  static List<BoundingBox> of(List<Char> chars, float[][] q, boolean turned, boolean flipped, int width, int height) {
    List<List<Char>> groups = new ArrayList<>();
    List<Char> current = new ArrayList<>();
    for (Char c : chars) {
      if (c.text().isBlank()) {
        if (!current.isEmpty()) {
          groups.add(current);
          current = new ArrayList<>();
        }
      } else {
        current.add(c);
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    List<BoundingBox> words = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      List<Char> word = groups.get(g);
      Char first = word.getFirst();
      Char last = word.getLast();
      double left = first.step() - 1.0;
      double right = last.step() + 2.0;
      if (g > 0) {
        left = Math.max(left, (groups.get(g - 1).getLast().step() + 1 + first.step()) / 2.0);
      }
      if (g + 1 < groups.size()) {
        right = Math.min(right, (last.step() + 1 + groups.get(g + 1).getFirst().step()) / 2.0);
      }
      double f0 = Math.clamp(left * first.stepWidth() / first.contentWidth(), 0, 1);
      double f1 = Math.clamp(right * first.stepWidth() / first.contentWidth(), f0, 1);
      if (flipped) {
        double f = f0;
        f0 = 1 - f1;
        f1 = 1 - f;
      }
      words.add(box(word, q, turned, f0, f1, width, height));
    }
    return words;
  }

  /** The word between fractions {@code f0} and {@code f1} along the line's reading direction. */
  private static BoundingBox box(List<Char> word, float[][] q, boolean turned, double f0, double f1, int width,
      int height) {
    float[][] edgeA = turned ? new float[][] {q[0], q[3]} : new float[][] {q[0], q[1]};
    float[][] edgeB = turned ? new float[][] {q[1], q[2]} : new float[][] {q[3], q[2]};
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (float[][] edge : new float[][][] {edgeA, edgeB}) {
      for (double f : new double[] {f0, f1}) {
        double x = edge[0][0] + f * (edge[1][0] - edge[0][0]);
        double y = edge[0][1] + f * (edge[1][1] - edge[0][1]);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
    StringBuilder text = new StringBuilder();
    double conf = 0;
    for (Char c : word) {
      text.append(c.text());
      conf += c.prob();
    }
    double x0 = Math.clamp(minX / width, 0, 1);
    double y0 = Math.clamp(minY / height, 0, 1);
    return new BoundingBox(x0, y0, Math.clamp(maxX / width, 0, 1) - x0, Math.clamp(maxY / height, 0, 1) - y0,
        text.toString(), Math.clamp(conf / word.size(), 0, 1));
  }
}
