package dev.longshot.ingest.ocr;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Image preparation for the PP-OCR models: the frame as an OpenCV BGR Mat, a text line cut out of it, and a crop
 * scaled into a model's input tensor. Stateless; every returned Mat belongs to the caller, who closes it.
 */
final class PaddleImages {
  private PaddleImages() {}

  /** {@code image} as an 8-bit BGR Mat, scaled down to {@value PaddleTextRecognizer#MAX_SIDE} if larger. */
  static Mat workImage(BufferedImage image) {
    BufferedImage bgr = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
        || ((DataBufferByte) image.getRaster().getDataBuffer()).getData().length
            != image.getWidth() * image.getHeight() * 3) {
      bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(image, 0, 0, null);
    }
    Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), CV_8UC3);
    mat.data().put(((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
    int side = Math.max(mat.cols(), mat.rows());
    if (side <= PaddleTextRecognizer.MAX_SIDE) {
      return mat;
    }
    double f = (double) PaddleTextRecognizer.MAX_SIDE / side;
    Mat small = new Mat();
    int w = Math.max(1, (int) Math.round(mat.cols() * f));
    int h = Math.max(1, (int) Math.round(mat.rows() * f));
    try (mat; Size size = new Size(w, h)) {
      resize(mat, small, size, 0, 0, INTER_AREA);
    }
    return small;
  }

  /** The quadrilateral {@code q} of {@code src} warped to an upright rectangle. */
  static Mat crop(Mat src, float[][] q) {
    int w = Math.max(1, (int) Quads.width(q));
    int h = Math.max(1, (int) Quads.height(q));
    Mat out = new Mat();
    try (Mat from = points(q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]);
        Mat to = points(0, 0, w, 0, w, h, 0, h);
        Mat m = getPerspectiveTransform(from, to);
        Size size = new Size(w, h);
        Scalar border = new Scalar()) {
      warpPerspective(src, out, m, size, INTER_CUBIC, BORDER_REPLICATE, border);
    }
    if (Quads.isTurned(q)) {
      Mat turned = new Mat();
      rotate(out, turned, ROTATE_90_COUNTERCLOCKWISE);
      out.close();
      return turned;
    }
    return out;
  }

  private static Mat points(float... xy) {
    Mat m = new Mat(4, 1, CV_32FC2);
    FloatBuffer b = m.createBuffer();
    b.put(xy);
    return m;
  }

  /**
   * Scales {@code crop} to {@code height} rows, keeping its aspect ratio within {@code width} columns, and writes it
   * at {@code base} of {@code input} as planar channels of {@code height} x {@code width} floats in [-1, 1], in the
   * crop's channel order; columns past the scaled width stay as they are (zero: right padding). Returns the scaled
   * width.
   */
  static int putScaled(Mat crop, int height, int width, float[] input, int base) {
    int rw = Math.clamp((long) Math.ceil(height * crop.cols() / (double) crop.rows()), 1, width);
    int plane = height * width;
    try (Mat resized = new Mat(); Size size = new Size(rw, height)) {
      resize(crop, resized, size, 0, 0, INTER_LINEAR);
      byte[] px = new byte[rw * height * 3];
      resized.data().get(px);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < rw; x++) {
          int p = (y * rw + x) * 3;
          for (int ch = 0; ch < 3; ch++) {
            input[base + ch * plane + y * width + x] = (px[p + ch] & 0xff) / 127.5f - 1f;
          }
        }
      }
    }
    return rw;
  }
}
