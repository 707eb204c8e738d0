package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeGemm#attendBf16} (the vision tower's bidirectional attention on oneDNN) against a double-precision
 * reference that rounds the same operands to bfloat16 ({@code scale q}, {@code k}, the probabilities, {@code v}):
 * token counts below, at and above one block of query rows, one that splits into blocks of 160, several head widths,
 * 1 and 3 threads, and shapes changing between calls (the plan is rebuilt). Where the native GEMM does not run it
 * returns false and writes nothing; under {@link NativeGemm#javaOnly} likewise.
 */
class NativeAttentionTest {
  @Test
  void matchesTheBf16RoundingReference() {
    SplittableRandom r = new SplittableRandom(77);
    int[][] shapes = {{16, 2, 8}, {64, 4, 8}, {320, 3, 16}, {256, 2, 64}, {64, 4, 8}, {600, 2, 32}};
    for (int threads : new int[] {1, 3}) {
      try (Parallel par = new Parallel(threads)) {
        for (int[] sh : shapes) {
          int n = sh[0];
          int heads = sh[1];
          int hd = sh[2];
          int dim = heads * hd;
          float[][] q = random(r, n, dim, 2);
          float[][] k = random(r, n, dim, 2);
          float[][] v = random(r, n, dim, 1);
          float[][] out = new float[n][dim];
          float scale = (float) (1 / Math.sqrt(hd));
          boolean ran = NativeGemm.attendBf16(par, q, k, v, out, n, heads, hd, scale);
          assertThat(ran).as("ran natively").isEqualTo(NativeGemm.active());
          if (!ran) {
            assertThat(out[0]).containsOnly(0f);
            continue;
          }
          double[][] ref = reference(q, k, v, n, heads, hd, scale);
          double max = 0;
          for (int t = 0; t < n; t++) {
            for (int i = 0; i < dim; i++) {
              max = Math.max(max, Math.abs(out[t][i] - ref[t][i]));
            }
          }
          System.out.printf(java.util.Locale.ROOT, "NativeAttentionTest n %d heads %d hd %d threads %d: max |diff| %.3g%n",
              n, heads, hd, threads, max);
          // float32 sums and oneDNN's float32 softmax vs double; a probability that rounds to the other bfloat16
          // neighbour moves one term by 2^-8 of p v (|v| <= 1); measured 3e-8 to 6e-5
          assertThat(max).as("n %d heads %d hd %d threads %d", n, heads, hd, threads).isLessThanOrEqualTo(5e-4);
        }
      }
    }
  }

  @Test
  void underJavaOnlyItDeclinesAndWritesNothing() {
    try (Parallel par = new Parallel(2)) {
      float[][] x = random(new SplittableRandom(1), 32, 16, 1);
      float[][] out = new float[32][16];
      boolean[] ran = new boolean[1];
      NativeGemm.javaOnly(() -> ran[0] = NativeGemm.attendBf16(par, x, x, x, out, 32, 2, 8, 0.35f));
      assertThat(ran[0]).isFalse();
      assertThat(out[5]).containsOnly(0f);
    }
  }

  private static float[][] random(SplittableRandom r, int n, int dim, double amp) {
    float[][] x = new float[n][dim];
    for (float[] row : x) {
      for (int i = 0; i < dim; i++) {
        row[i] = (float) ((r.nextDouble() * 2 - 1) * amp);
      }
    }
    return x;
  }

  private static double bf16(double v) {
    int bits = Float.floatToRawIntBits((float) v);
    return Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
  }

  private static double[][] reference(float[][] q, float[][] k, float[][] v, int n, int heads, int hd, float scale) {
    double[][] out = new double[n][heads * hd];
    for (int h = 0; h < heads; h++) {
      int off = h * hd;
      for (int t = 0; t < n; t++) {
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int i = 0; i < hd; i++) {
            dot += bf16(q[t][off + i] * scale) * bf16(k[j][off + i]);
          }
          s[j] = dot;
          max = Math.max(max, dot);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
          s[j] = Math.exp(s[j] - max);
          sum += s[j];
        }
        for (int j = 0; j < n; j++) {
          double p = bf16(s[j] / sum);
          for (int i = 0; i < hd; i++) {
            out[t][off + i] += p * bf16(v[j][off + i]);
          }
        }
      }
    }
    return out;
  }
}
