package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Vector API kernels against their scalar twins at awkward sizes and offsets (seeded). Tolerance: the two only
 * differ in summation order, so |vector - scalar| <= 1e-5 * sum|w_i x_i| + 1e-6.
 */
class KernelsTest {
  private static final long SEED = 20261125L;

  static FloatTensor tensor(GgmlType type, float[] values) {
    byte[] bytes = TensorEncoding.encode(values, type.id());
    return FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), values.length);
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void vectorDotMatchesScalarAtAwkwardSizes(GgmlType type) {
    SplittableRandom r = new SplittableRandom(SEED + type.ordinal());
    int block = type.blockSize();
    int[] sizes = block == 1 ? new int[] {1, 3, 7, 15, 17, 31, 33, 63, 65, 127, 129, 513, 1000, 1537}
        : new int[] {32, 96, 224, 544, 1056, 1536};
    for (int n : sizes) {
      int rows = 3;
      float[] w = random(r, rows * n);
      float[] x = random(r, n + 5);
      FloatTensor t = tensor(type, w);
      for (int row = 0; row < rows; row++) {
        long offset = (long) row * n;
        float scalar = t.dotScalar((int) offset, x, 5, n);
        float vector = t.dotVector((int) offset, x, 5, n);
        double mag = 0;
        for (int i = 0; i < n; i++) {
          mag += Math.abs(t.get(offset + i) * x[i + 5]);
        }
        assertThat(vector).as("%s n=%d row=%d seed=%d", type, n, row, SEED).isCloseTo(scalar,
            within((float) (1e-5 * mag + 1e-6)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void copyToMatchesGetAndQuantizationErrorIsBounded(GgmlType type) {
    SplittableRandom r = new SplittableRandom(SEED * 7 + type.ordinal());
    float[] w = random(r, 32 * 37);
    FloatTensor t = tensor(type, w);
    float[] out = new float[w.length];
    t.copyTo(0, out, 0, w.length);
    // per-element error bound of each encoding relative to the block's largest magnitude (1.0 here)
    float bound = switch (type) {
      case F32 -> 0f;
      case F16 -> 1e-3f;
      case BF16 -> 8e-3f;
      case Q8_0 -> 1f / 127 * 0.5f + 1e-3f;
      case Q4_0 -> 1f / 8 + 5e-3f; // the extreme opposite the scale's sign clamps to 15: one full step
    };
    for (int i = 0; i < w.length; i++) {
      assertThat(out[i]).isEqualTo(t.get(i));
      assertThat(out[i]).as("%s element %d seed %d", type, i, SEED).isCloseTo(w[i], within(bound));
    }
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void batchedMatmulMatchesMatvec(GgmlType type) {
    SplittableRandom r = new SplittableRandom(SEED * 13 + type.ordinal());
    int rows = 37;
    int cols = 96;
    FloatTensor w = tensor(type, random(r, rows * cols));
    float[][] xs = {random(r, cols), random(r, cols), random(r, cols)};
    float[][] batched = new float[3][rows];
    try (Parallel par = new Parallel(3)) {
      Matmul.matmul(par, w, xs, batched, 3, rows, cols);
      for (int t = 0; t < 3; t++) {
        float[] single = new float[rows];
        Matmul.matvec(par, w, xs[t], single, rows, cols);
        for (int i = 0; i < rows; i++) {
          assertThat(batched[t][i]).as("%s token %d row %d", type, t, i).isCloseTo(single[i], within(1e-4f));
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void arrayKernelsMatchScalar() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int n : new int[] {1, 5, 16, 17, 63, 100, 257}) {
      float[] a = random(r, n + 3);
      float[] b = random(r, n + 2);
      assertThat(VectorMath.dot(a, 3, b, 2, n)).isCloseTo(VectorMath.dotScalar(a, 3, b, 2, n), within(1e-4f));
      float[] y = random(r, n);
      float[] expected = y.clone();
      for (int i = 0; i < n; i++) {
        expected[i] += 0.7f * a[i + 1];
      }
      VectorMath.axpy(0.7f, a, 1, y, 0, n);
      assertThat(y).containsExactly(expected, within(1e-6f));
    }
  }

  static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }
}
