package dev.longshot.vlm.tensor;

/** Matrix-vector and matrix-matrix products of a weight matrix {@code [rows][cols]} with activations, in parallel. */
public final class Matmul {
  private static final int MIN_ROWS_PER_CHUNK = 16;

  private Matmul() {}

  /** {@code out[r] = sum_c w[r][c] * x[c]} for {@code r < rows}. */
  public static void matvec(Parallel par, FloatTensor w, float[] x, float[] out, int rows, int cols) {
    par.forRange(rows, MIN_ROWS_PER_CHUNK, (from, to) -> {
      for (int r = from; r < to; r++) {
        out[r] = w.dot((long) r * cols, x, 0, cols);
      }
    });
  }

  /**
   * {@code outs[t][r] = sum_c w[r][c] * xs[t][c]} for {@code t < n}. Each weight row is dequantized once into a
   * per-chunk buffer and reused for all {@code n} activations (prefill).
   */
  public static void matmul(Parallel par, FloatTensor w, float[][] xs, float[][] outs, int n, int rows, int cols) {
    if (n == 1) {
      matvec(par, w, xs[0], outs[0], rows, cols);
      return;
    }
    par.forRange(rows, MIN_ROWS_PER_CHUNK, (from, to) -> {
      float[] row = new float[cols];
      for (int r = from; r < to; r++) {
        w.copyTo((long) r * cols, row, 0, cols);
        for (int t = 0; t < n; t++) {
          outs[t][r] = VectorMath.dot(row, 0, xs[t], 0, cols);
        }
      }
    });
  }
}
