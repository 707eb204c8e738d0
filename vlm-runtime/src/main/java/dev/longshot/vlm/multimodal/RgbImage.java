package dev.longshot.vlm.multimodal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit RGB image, pixels packed {@code 0xRRGGBB} row-major. Any image ImageIO decodes converts here: grey and
 * 16-bit images through Java2D's colour conversion, transparent pixels composited on white (as Hugging Face's
 * {@code convert_to_rgb} does).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb {@code width * height} packed pixels
 */
public record RgbImage(int width, int height, int[] rgb) {
  /** The most pixels an image may have (a 16k x 16k frame); larger ones are refused before decoding. */
  public static final long MAX_PIXELS = 16_384L * 16_384L;

  public RgbImage {
    if (width <= 0 || height <= 0 || (long) width * height != rgb.length) {
      throw new IllegalArgumentException("an image needs width x height pixels, got " + width + "x" + height
          + " and " + rgb.length + " values");
    }
  }

  /**
   * Reads a PNG, JPEG, BMP or GIF; the width and height in the file's header are checked against
   * {@link #MAX_PIXELS} before any pixel is decoded. CMYK and YCCK JPEGs (which Java's decoder refuses) are
   * converted from their raw samples ({@link CmykJpeg}). Fails with one line naming the file when it is not a
   * readable image (truncated, or a format this runtime does not read).
   */
  public static RgbImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + ": not an image this runtime reads (PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w <= 0 || h <= 0 || w * h > MAX_PIXELS) {
          throw new IOException(file + ": the header says " + w + "x" + h + " pixels; allowed 1.." + MAX_PIXELS
              + " pixels");
        }
        return decode(file, reader);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IOException(file + ": cannot decode the image (truncated or damaged): " + e.getMessage(), e);
    }
  }

  private static RgbImage decode(Path file, ImageReader reader) throws IOException {
    if (CmykJpeg.is(reader)) {
      return CmykJpeg.read(reader);
    }
    return of(reader.read(0));
  }

  /** Converts a decoded image (alpha composited on white). */
  public static RgbImage of(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    if ((long) w * h > MAX_PIXELS) {
      throw new IllegalArgumentException("image of " + w + "x" + h + " pixels is over the limit of " + MAX_PIXELS);
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      int a = p >>> 24;
      if (a != 255) {
        int r = blend((p >> 16) & 0xFF, a);
        int g = blend((p >> 8) & 0xFF, a);
        int b = blend(p & 0xFF, a);
        p = (r << 16) | (g << 8) | b;
      }
      argb[i] = p & 0xFFFFFF;
    }
    return new RgbImage(w, h, argb);
  }

  private static int blend(int c, int alpha) {
    return (c * alpha + 255 * (255 - alpha) + 127) / 255;
  }

  /** The image resized with {@link Lanczos} (itself when the size is unchanged). */
  public RgbImage resize(int newWidth, int newHeight) {
    if (newWidth == width && newHeight == height) {
      return this;
    }
    return new RgbImage(newWidth, newHeight, Lanczos.resize(rgb, width, height, newWidth, newHeight));
  }

  /** The {@code w x h} region at {@code (x, y)}. */
  public RgbImage crop(int x, int y, int w, int h) {
    int[] out = new int[w * h];
    for (int r = 0; r < h; r++) {
      System.arraycopy(rgb, (y + r) * width + x, out, r * w, w);
    }
    return new RgbImage(w, h, out);
  }
}
