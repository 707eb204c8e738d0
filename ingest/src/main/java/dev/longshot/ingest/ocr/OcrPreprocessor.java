package dev.longshot.ingest.ocr;

import dev.longshot.timeline.BoundingBox;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;
import java.util.List;

/**
 * Light preparation of a frame for OCR and the adaptive read that uses it: the frame is converted to grayscale
 * (and scaled down if it is huge) and read once; when the words found are small (median box height under
 * {@link #SMALL_TEXT_PX} pixels, where Tesseract's accuracy drops) or unsure, the frame is upscaled so that text
 * reaches about {@link #TARGET_TEXT_PX} pixels and read again, and the better-scoring read wins. Large text,
 * the common case for slides, costs one pass at native size.
 */
public final class OcrPreprocessor {
  /** Larger frames are scaled down to this longest side before OCR. */
  static final int MAX_SIDE = 2560;
  /** Median word box height (pixels) under which a second, upscaled read is tried. */
  static final int SMALL_TEXT_PX = 22;
  /** Mean word confidence under which a second, upscaled read is tried. */
  static final double UNSURE = 0.70;
  /** Word box height the upscaled read aims for. */
  static final int TARGET_TEXT_PX = 34;
  static final double MAX_UPSCALE = 3.0;
  /** An upscaled read may not exceed this many pixels (bounds the cost on large frames). */
  static final long MAX_UPSCALED_PIXELS = 2560L * 1440;

  private OcrPreprocessor() {}

  /**
   * Reads {@code frame} with {@code recognizer}, upscaling for small or unsure text as described above (not for a
   * backend that {@linkplain TextRecognizer#readsFramesAsTheyAre reads frames as they are}). Boxes are normalised
   * to the frame.
   */
  public static List<TextLine> read(TextRecognizer recognizer, BufferedImage frame) {
    if (recognizer.readsFramesAsTheyAre()) {
      return recognizer.recognize(frame);
    }
    BufferedImage gray = prepare(frame);
    List<TextLine> lines = recognizer.recognize(gray);
    double[] heights = lines.stream().flatMap(l -> l.words().stream()).mapToDouble(b -> b.height() * gray.getHeight()).toArray();
    if (heights.length == 0) {
      return lines;
    }
    Arrays.sort(heights);
    double median = heights[heights.length / 2];
    double conf = confidence(lines);
    if (median >= SMALL_TEXT_PX && conf >= UNSURE) {
      return lines;
    }
    double factor = Math.min(MAX_UPSCALE, Math.max(1.5, TARGET_TEXT_PX / Math.max(1.0, median)));
    factor = Math.min(factor, Math.sqrt(MAX_UPSCALED_PIXELS / ((double) gray.getWidth() * gray.getHeight())));
    if (factor < 1.2) {
      return lines;
    }
    List<TextLine> again = recognizer.recognize(scale(gray, factor));
    return confidence(again) * words(again) >= conf * words(lines) ? again : lines;
  }

  /** A grayscale ({@code TYPE_BYTE_GRAY}) copy of {@code img}, scaled down to {@link #MAX_SIDE} if larger. */
  public static BufferedImage prepare(BufferedImage img) {
    BufferedImage gray = toGray(img);
    int side = Math.max(gray.getWidth(), gray.getHeight());
    return side > MAX_SIDE ? scale(gray, MAX_SIDE / (double) side) : gray;
  }

  static BufferedImage scale(BufferedImage gray, double factor) {
    int nw = Math.max(1, (int) Math.round(gray.getWidth() * factor));
    int nh = Math.max(1, (int) Math.round(gray.getHeight() * factor));
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          factor > 1 ? RenderingHints.VALUE_INTERPOLATION_BICUBIC : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(gray, 0, 0, nw, nh, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static double confidence(List<TextLine> lines) {
    return lines.stream().flatMap(l -> l.words().stream()).mapToDouble(BoundingBox::confidence).average().orElse(0);
  }

  private static int words(List<TextLine> lines) {
    return lines.stream().mapToInt(l -> l.words().size()).sum();
  }

  /** Rec. 601 luma of a BGR image, computed directly on the raster (the common case), else through Java2D. */
  static BufferedImage toGray(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] d = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] s = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int i = 0, j = 0; i < d.length; i++, j += 3) {
        int b = s[j] & 0xff;
        int g = s[j + 1] & 0xff;
        int r = s[j + 2] & 0xff;
        d[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
      }
    } else {
      Graphics2D g = out.createGraphics();
      g.drawImage(img, 0, 0, null);
      g.dispose();
    }
    return out;
  }
}
