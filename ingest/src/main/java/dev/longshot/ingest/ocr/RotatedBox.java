package dev.longshot.ingest.ocr;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A rotated rectangle in pixels, as OpenCV's {@code minAreaRect} finds it around a text region.
 *
 * @param centerX centre, pixels from the left
 * @param centerY centre, pixels from the top
 * @param width side along the rotated x axis, pixels
 * @param height side along the rotated y axis, pixels
 * @param angleRadians rotation of the x axis, radians
 */
record RotatedBox(double centerX, double centerY, double width, double height, double angleRadians) {
  double shortSide() {
    return Math.min(width, height);
  }

  /**
   * This box grown by {@code area * ratio / perimeter} on every side: DB's "unclip", because the probability map
   * marks shrunk text cores.
   */
  RotatedBox unclipped(double ratio) {
    double grow = width * height * ratio / (2 * (width + height));
    return new RotatedBox(centerX, centerY, width + 2 * grow, height + 2 * grow, angleRadians);
  }

  /** Mean of {@code prob} (a {@code mapWidth} x {@code mapHeight} map, row-major) over the pixels inside this box. */
  double meanInside(float[] prob, int mapWidth, int mapHeight) {
    double cos = Math.cos(angleRadians);
    double sin = Math.sin(angleRadians);
    double hw = width / 2;
    double hh = height / 2;
    double ext = Math.abs(hw * cos) + Math.abs(hh * sin);
    double eyt = Math.abs(hw * sin) + Math.abs(hh * cos);
    int x0 = Math.max(0, (int) Math.floor(centerX - ext));
    int x1 = Math.min(mapWidth - 1, (int) Math.ceil(centerX + ext));
    int y0 = Math.max(0, (int) Math.floor(centerY - eyt));
    int y1 = Math.min(mapHeight - 1, (int) Math.ceil(centerY + eyt));
    double sum = 0;
    int n = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x - centerX;
        double dy = y - centerY;
        if (Math.abs(dx * cos + dy * sin) <= hw + 0.5 && Math.abs(-dx * sin + dy * cos) <= hh + 0.5) {
          sum += prob[y * mapWidth + x];
          n++;
        }
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /**
   * The corners as a quadrilateral ordered top-left, top-right, bottom-right, bottom-left (as PaddleOCR orders
   * them); each corner is {@code {x, y}}.
   */
  float[][] corners() {
    double cos = Math.cos(angleRadians);
    double sin = Math.sin(angleRadians);
    double[][] d = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    float[][] p = new float[4][];
    for (int i = 0; i < 4; i++) {
      double ux = d[i][0] * width / 2;
      double uy = d[i][1] * height / 2;
      p[i] = new float[] {(float) (centerX + ux * cos - uy * sin), (float) (centerY + ux * sin + uy * cos)};
    }
    Arrays.sort(p, Comparator.comparingDouble(q -> q[0]));
    float[] tl = p[0][1] <= p[1][1] ? p[0] : p[1];
    float[] bl = p[0][1] <= p[1][1] ? p[1] : p[0];
    float[] tr = p[2][1] <= p[3][1] ? p[2] : p[3];
    float[] br = p[2][1] <= p[3][1] ? p[3] : p[2];
    return new float[][] {tl, tr, br, bl};
  }
}
