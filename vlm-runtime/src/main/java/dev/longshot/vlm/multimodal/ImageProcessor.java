package dev.longshot.vlm.multimodal;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's Idefics3 / SmolVLM image processing for one image: scale the longest side to
 * {@code size.longest_edge}; when splitting, grow each side to a multiple of {@code max_image_size} and cut
 * {@code rows x cols} tiles of that size (row-major) followed by the whole image resized to a square global view;
 * otherwise resize to the square; then rescale by {@code rescale_factor} and normalise with the mean and std.
 * Stateless and thread-safe.
 */
public final class ImageProcessor {
  /** SmolVLM's {@code MAX_IMAGE_SIZE}: no side grows past 4096 pixels whatever {@code longest_edge} says. */
  static final int MAX_SIDE = 4096;
  private final ImageProcessorConfig c;

  public ImageProcessor(ImageProcessorConfig config) {
    this.c = config;
  }

  public ImageProcessorConfig config() {
    return c;
  }

  /**
   * A processed image: {@code tiles} (each {@code 3 x side x side} floats, channels first) in the order the
   * prompt's image-token runs take them, and the split grid ({@code rows == cols == 0}: not split, one tile).
   */
  public record Processed(List<float[]> tiles, int side, int rows, int cols) {
    /** Tiles including the global view. */
    public int tileCount() {
      return tiles.size();
    }
  }

  /** Processes an image; {@code split} false forces a single square view (video frames). */
  public Processed process(RgbImage image, boolean split) {
    RgbImage img = image;
    if (c.longestEdge() > 0) {
      int[] wh = rescaleToLongest(img.width(), img.height(), c.longestEdge());
      wh = scaleBelow(wh[0], wh[1], MAX_SIDE);
      img = img.resize(wh[0], wh[1]);
    }
    int max = c.maxImageSize();
    List<float[]> tiles = new ArrayList<>();
    int rows = 0;
    int cols = 0;
    if (split && c.split()) {
      int[] wh = growToMultiple(img.width(), img.height(), max);
      img = img.resize(wh[0], wh[1]);
      if (img.width() > max || img.height() > max) {
        rows = ceilDiv(img.height(), max);
        cols = ceilDiv(img.width(), max);
        int th = ceilDiv(img.height(), rows);
        int tw = ceilDiv(img.width(), cols);
        for (int r = 0; r < rows; r++) {
          for (int col = 0; col < cols; col++) {
            int x = col * tw;
            int y = r * th;
            RgbImage tile = img.crop(x, y, Math.min(tw, img.width() - x), Math.min(th, img.height() - y));
            tiles.add(normalise(tile.resize(max, max)));
          }
        }
      }
    }
    tiles.add(normalise(img.resize(max, max)));
    return new Processed(List.copyOf(tiles), max, rows, cols);
  }

  /** HF's {@code _resize_output_size_rescale_to_max_len}: longest side to {@code max}, the other even. */
  static int[] rescaleToLongest(int w, int h, int max) {
    double aspect = (double) w / h;
    int nw;
    int nh;
    if (w >= h) {
      nw = max;
      nh = (int) (nw / aspect);
      if (nh % 2 != 0) {
        nh++;
      }
    } else {
      nh = max;
      nw = (int) (nh * aspect);
      if (nw % 2 != 0) {
        nw++;
      }
    }
    return new int[] {Math.max(nw, 1), Math.max(nh, 1)};
  }

  /** HF's {@code _resize_output_size_scale_below_upper_bound}: shrink so the longest side is at most {@code max}. */
  static int[] scaleBelow(int w, int h, int max) {
    double aspect = (double) w / h;
    int nw = w;
    int nh = h;
    if (w >= h && w > max) {
      nw = max;
      nh = (int) (nw / aspect);
    } else if (h > w && h > max) {
      nh = max;
      nw = (int) (nh * aspect);
    }
    return new int[] {Math.max(nw, 1), Math.max(nh, 1)};
  }

  /** HF's {@code resize_for_vision_encoder}: both sides up to multiples of {@code max}, keeping the aspect. */
  static int[] growToMultiple(int w, int h, int max) {
    double aspect = (double) w / h;
    int nw;
    int nh;
    if (w >= h) {
      nw = ceilDiv(w, max) * max;
      nh = (int) (nw / aspect);
      nh = ceilDiv(nh, max) * max;
    } else {
      nh = ceilDiv(h, max) * max;
      nw = (int) (nh * aspect);
      nw = ceilDiv(nw, max) * max;
    }
    return new int[] {Math.max(nw, max), Math.max(nh, max)};
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** {@code ((v * rescale) - mean) / std}, channels first; the rescale in double then float, as numpy does. */
  float[] normalise(RgbImage img) {
    int n = img.width() * img.height();
    float[] out = new float[3 * n];
    for (int i = 0; i < n; i++) {
      int p = img.rgb()[i];
      for (int ch = 0; ch < 3; ch++) {
        int v = (p >> (16 - 8 * ch)) & 0xFF;
        float scaled = (float) (v * c.rescaleFactor());
        out[ch * n + i] = (scaled - c.mean()[ch]) / c.std()[ch];
      }
    }
    return out;
  }
}
