package dev.longshot.ingest.ocr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Puts the lines of one frame in reading order. Stateless. */
final class ReadingOrder {
  private ReadingOrder() {}

  /** A read line: its quadrilateral (see {@link Quads}), its words, and whether its crop was turned 180°. */
  record Line(float[][] quad, TextLine text, boolean flipped) {
    double top() {
      return Math.min(quad[0][1], quad[1][1]);
    }

    double height() {
      return Quads.height(quad);
    }
  }

  /**
   * Top to bottom; lines whose tops are within half a line height of each other left to right. When most lines were
   * turned 180° (an upside-down sign or frame), the other way round: bottom to top, right to left, as they read.
   */
  static List<TextLine> of(List<Line> lines) {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingDouble(Line::top));
    for (int i = 1; i < sorted.size(); i++) {
      for (int j = i; j > 0; j--) {
        Line a = sorted.get(j - 1);
        Line b = sorted.get(j);
        boolean sameRow = Math.abs(a.top() - b.top()) < 0.5 * Math.min(a.height(), b.height());
        if (!sameRow || a.quad()[0][0] <= b.quad()[0][0]) {
          break;
        }
        sorted.set(j - 1, b);
        sorted.set(j, a);
      }
    }
    if (2 * sorted.stream().filter(Line::flipped).count() > sorted.size()) {
      sorted = sorted.reversed();
    }
    return sorted.stream().map(Line::text).toList();
  }
}
