package dev.longshot.vlm.multimodal;

/**
 * Separable Lanczos-3 resampling of 8-bit RGB, the filter Hugging Face's image processors ask PIL for
 * ({@code resample=LANCZOS}): the kernel is widened by the scale when shrinking (anti-aliasing), each output pixel
 * takes the normalised weights of the input pixels within the support around its centre {@code (x + 0.5) * scale},
 * horizontally then vertically, rounding and clamping to 0..255 after each pass. Same size returns a copy.
 */
final class Lanczos {
  private static final double SUPPORT = 3.0;

  private Lanczos() {}

  /** {@code rgb} holds {@code w*h} packed 0xRRGGBB pixels, row-major. */
  static int[] resize(int[] rgb, int w, int h, int newW, int newH) {
    if (newW <= 0 || newH <= 0) {
      throw new IllegalArgumentException("cannot resize to " + newW + "x" + newH);
    }
    if (w == newW && h == newH) {
      return rgb.clone();
    }
    int[] horizontal = w == newW ? rgb : pass(rgb, w, h, newW, true);
    return h == newH ? horizontal : pass(horizontal, newW, h, newH, false);
  }

  /**
   * Resamples along x ({@code alongX}) or y; {@code w, h} are the input's size, {@code out} the new length. The
   * weights of each output position are computed once; the pixels are then visited row by row (along x: each row's
   * outputs in turn; along y: each output row reads its input rows across), so memory is read in order. Each pixel's
   * sum takes the same terms in the same order whichever way the loops run.
   */
  private static int[] pass(int[] src, int w, int h, int out, boolean alongX) {
    int in = alongX ? w : h;
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] mins = new int[out];
    double[][] weights = new double[out][];
    for (int o = 0; o < out; o++) {
      double center = (o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), in);
      double[] k = new double[max - min];
      double sum = 0;
      for (int i = 0; i < k.length; i++) {
        k[i] = lanczos((i + min - center + 0.5) / filterScale);
        sum += k[i];
      }
      for (int i = 0; i < k.length; i++) {
        k[i] = sum != 0 ? k[i] / sum : 0;
      }
      mins[o] = min;
      weights[o] = k;
    }
    int[] result = new int[alongX ? out * h : w * out];
    if (alongX) {
      for (int line = 0; line < h; line++) {
        int base = line * w;
        for (int o = 0; o < out; o++) {
          double[] k = weights[o];
          int from = base + mins[o];
          double r = 0;
          double g = 0;
          double b = 0;
          for (int i = 0; i < k.length; i++) {
            int p = src[from + i];
            r += k[i] * ((p >> 16) & 0xFF);
            g += k[i] * ((p >> 8) & 0xFF);
            b += k[i] * (p & 0xFF);
          }
          result[line * out + o] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
        }
      }
    } else {
      double[] r = new double[w];
      double[] g = new double[w];
      double[] b = new double[w];
      for (int o = 0; o < out; o++) {
        double[] k = weights[o];
        java.util.Arrays.fill(r, 0);
        java.util.Arrays.fill(g, 0);
        java.util.Arrays.fill(b, 0);
        for (int i = 0; i < k.length; i++) {
          int row = (mins[o] + i) * w;
          double ki = k[i];
          for (int x = 0; x < w; x++) {
            int p = src[row + x];
            r[x] += ki * ((p >> 16) & 0xFF);
            g[x] += ki * ((p >> 8) & 0xFF);
            b[x] += ki * (p & 0xFF);
          }
        }
        for (int x = 0; x < w; x++) {
          result[o * w + x] = (clamp(r[x]) << 16) | (clamp(g[x]) << 8) | clamp(b[x]);
        }
      }
    }
    return result;
  }

  private static int clamp(double v) {
    long r = Math.round(v);
    return (int) Math.max(0, Math.min(255, r));
  }

  private static double lanczos(double x) {
    if (x == 0) {
      return 1;
    }
    if (x <= -SUPPORT || x >= SUPPORT) {
      return 0;
    }
    double px = Math.PI * x;
    return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
  }
}
