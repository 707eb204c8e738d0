package dev.longshot.ingest.ocr;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.minAreaRect;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.RotatedRect;

/**
 * DB post-processing: the detection model's text probability map becomes text line quadrilaterals. The map is
 * thresholded at {@value #BINARY_THRESHOLD}; each contour's minimum-area rectangle is scored by the mean probability
 * inside it, dropped under {@value #BOX_THRESHOLD}, grown by {@code area * }{@value #UNCLIP_RATIO}{@code /
 * perimeter} on every side ({@link RotatedBox#unclipped}), and scaled back to the frame. Stateless.
 */
final class TextRegions {
  static final float BINARY_THRESHOLD = 0.3f;
  static final double BOX_THRESHOLD = 0.6;
  static final double UNCLIP_RATIO = 1.5;
  static final int MAX_CANDIDATES = 1000;

  private TextRegions() {}

  /**
   * Quadrilaterals (see {@link Quads}) in frame pixels.
   *
   * @param prob the probability map, {@code mapWidth} x {@code mapHeight}, row-major
   * @param frameWidth width of the frame the map was computed from, pixels
   * @param frameHeight its height
   */
  static List<float[][]> find(float[] prob, int mapWidth, int mapHeight, int frameWidth, int frameHeight) {
    List<float[][]> boxes = new ArrayList<>();
    byte[] bits = new byte[mapWidth * mapHeight];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = prob[i] > BINARY_THRESHOLD ? (byte) 255 : 0;
    }
    double sx = (double) frameWidth / mapWidth;
    double sy = (double) frameHeight / mapHeight;
    try (Mat bitmap = new Mat(mapHeight, mapWidth, CV_8UC1); MatVector contours = new MatVector();
        Mat hierarchy = new Mat()) {
      bitmap.data().put(bits);
      findContours(bitmap, contours, hierarchy, RETR_LIST, CHAIN_APPROX_SIMPLE);
      long n = Math.min(contours.size(), MAX_CANDIDATES);
      for (long i = 0; i < n; i++) {
        RotatedBox box;
        try (Mat contour = contours.get(i); RotatedRect rect = minAreaRect(contour)) {
          box = new RotatedBox(rect.center().x(), rect.center().y(), rect.size().width(), rect.size().height(),
              Math.toRadians(rect.angle()));
        }
        if (box.shortSide() < 3 || box.meanInside(prob, mapWidth, mapHeight) < BOX_THRESHOLD) {
          continue;
        }
        box = box.unclipped(UNCLIP_RATIO);
        if (box.shortSide() < 5) {
          continue;
        }
        float[][] quad = box.corners();
        for (float[] p : quad) {
          p[0] = (float) Math.clamp(p[0] * sx, 0, frameWidth - 1);
          p[1] = (float) Math.clamp(p[1] * sy, 0, frameHeight - 1);
        }
        if (Quads.dist(quad[0], quad[1]) > 3 && Quads.dist(quad[0], quad[3]) > 3) {
          boxes.add(quad);
        }
      }
    }
    return boxes;
  }
}
