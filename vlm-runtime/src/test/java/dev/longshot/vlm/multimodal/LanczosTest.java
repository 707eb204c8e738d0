package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Lanczos} (weights once per output position, pixels visited in memory order) against the plain statement of
 * the same filter it replaced (each output position's weights, then every line): bit-identical pixels on random
 * images, shrinking and growing, odd sizes, one axis or both.
 */
class LanczosTest {
  @Test
  void resizeEqualsThePlainFilterPixelForPixel() {
    SplittableRandom r = new SplittableRandom(3);
    int[][] cases = {{97, 61, 512, 512}, {640, 360, 512, 288}, {31, 17, 64, 34}, {200, 300, 200, 120}, {300, 200, 120,
        200}, {5, 3, 1, 1}, {1, 1, 7, 9}};
    for (int[] c : cases) {
      int[] rgb = new int[c[0] * c[1]];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = r.nextInt(1 << 24);
      }
      int[] got = Lanczos.resize(rgb, c[0], c[1], c[2], c[3]);
      int[] want = plain(rgb, c[0], c[1], c[2], c[3]);
      assertThat(got).as("%dx%d -> %dx%d", c[0], c[1], c[2], c[3]).containsExactly(want);
    }
  }

  private static int[] plain(int[] rgb, int w, int h, int newW, int newH) {
    int[] horizontal = w == newW ? rgb : pass(rgb, w, h, newW, true);
    return h == newH ? horizontal : pass(horizontal, newW, h, newH, false);
  }

  private static int[] pass(int[] src, int w, int h, int out, boolean alongX) {
    int in = alongX ? w : h;
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = 3.0 * filterScale;
    int[] result = new int[alongX ? out * h : w * out];
    for (int o = 0; o < out; o++) {
      double center = (o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), in);
      double[] k = new double[max - min];
      double sum = 0;
      for (int i = 0; i < k.length; i++) {
        double x = (i + min - center + 0.5) / filterScale;
        double px = Math.PI * x;
        k[i] = x == 0 ? 1 : x <= -3 || x >= 3 ? 0 : 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
        sum += k[i];
      }
      for (int i = 0; i < k.length; i++) {
        k[i] = sum != 0 ? k[i] / sum : 0;
      }
      for (int line = 0; line < (alongX ? h : w); line++) {
        double cr = 0;
        double cg = 0;
        double cb = 0;
        for (int i = 0; i < k.length; i++) {
          int p = alongX ? src[line * w + min + i] : src[(min + i) * w + line];
          cr += k[i] * ((p >> 16) & 0xFF);
          cg += k[i] * ((p >> 8) & 0xFF);
          cb += k[i] * (p & 0xFF);
        }
        result[alongX ? line * out + o : o * w + line] = (clamp(cr) << 16) | (clamp(cg) << 8) | clamp(cb);
      }
    }
    return result;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
