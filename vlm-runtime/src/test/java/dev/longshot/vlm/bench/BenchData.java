package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Set-up the kernel benchmarks ({@link MatmulBenchmark}, {@link MatvecBenchmark}) share: the Qwen2.5-0.5B projection
 * shapes, the weight types compared, seeded uniform values, and weights encoded as one of those types.
 */
final class BenchData {
  private BenchData() {}

  /** rows x cols of the Qwen2.5-0.5B projections: attention (896 x 896), FFN up (4864 x 896) and down (896 x 4864). */
  static final int[][] QWEN_05B_SHAPES = {{896, 896}, {4864, 896}, {896, 4864}};
  /** The Qwen2.5-0.5B output projection (vocabulary x hidden), for decode. */
  static final int[] QWEN_05B_VOCAB = {151936, 896};
  /**
   * The weight types compared, the F32 baseline first; a type whose block does not divide a shape's rows (Q4_K and
   * Q6_K on 896-wide rows) is skipped there ({@link #fits}).
   */
  static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q4_K,
      GgmlType.Q6_K};

  /** Whether rows of {@code cols} values fill whole blocks of {@code type}. */
  static boolean fits(GgmlType type, int cols) {
    return cols % type.blockSize() == 0;
  }

  /** {@code n} values drawn uniformly from [-1, 1). */
  static float[] uniform(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** {@code rows} activation rows of {@code cols} values each, drawn as {@link #uniform} in row order. */
  static float[][] uniformRows(SplittableRandom r, int rows, int cols) {
    float[][] xs = new float[rows][];
    for (int i = 0; i < rows; i++) {
      xs[i] = uniform(r, cols);
    }
    return xs;
  }

  /** Weights encoded as {@code type} and read back as a tensor; {@code fileBytes} is the encoded size. */
  record Weights(FloatTensor tensor, int fileBytes) {
    static Weights of(float[] w, GgmlType type) {
      byte[] bytes = TensorEncoding.encode(w, type.id());
      return new Weights(FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), w.length),
          bytes.length);
    }
  }
}
