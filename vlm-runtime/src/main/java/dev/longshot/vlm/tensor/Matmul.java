package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * Matrix-vector and matrix-matrix products of weight matrices {@code [rows][cols]} with activations, in parallel.
 * Several matrices that read the same input (Q/K/V, gate/up) run in one parallel region to save thread hand-offs.
 * Prefill ({@code n > 1}) with the Vector API kernels works on panels of {@link #PANEL} weight rows: each panel is
 * dequantized once per call into a column-major float tile ({@code [cols][PANEL]}, which stays in the L2 cache) and
 * multiplied with {@link #TOKENS} activations at a time by an outer-product micro-kernel ({@code 2 x TOKENS} vector
 * accumulators held in registers, 2 tile loads and {@code TOKENS} broadcasts per {@code 2 x TOKENS} FMAs), writing
 * whole output vectors with no horizontal sums. The scalar path (and {@code n == 1}) uses one dot product per
 * output.
 */
public final class Matmul {
  private static final int MIN_ROWS_PER_CHUNK = 16;
  private static final int TILE = 4;
  /** Weight rows per prefill panel: two float vectors. */
  static final int PANEL = 2 * Kernels.F.length();
  /** Activations per micro-kernel call: 12 accumulators, 2 tile rows and a broadcast fit AVX2's 16 registers. */
  static final int TOKENS = 6;
  private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

  /** One product: {@code outs[t][r] = sum_c w[r][c] * xs[t][c]} for {@code r < rows}. */
  public record Job(FloatTensor w, float[][] outs, int rows) {}

  private Matmul() {}

  /** {@code out[r] = sum_c w[r][c] * x[c]} for {@code r < rows}. */
  public static void matvec(Parallel par, FloatTensor w, float[] x, float[] out, int rows, int cols) {
    matmul(par, new float[][] {x}, 1, cols, new Job(w, new float[][] {out}, rows));
  }

  /** {@code outs[t][r] = sum_c w[r][c] * xs[t][c]} for {@code t < n}. */
  public static void matmul(Parallel par, FloatTensor w, float[][] xs, float[][] outs, int n, int rows, int cols) {
    matmul(par, xs, n, cols, new Job(w, outs, rows));
  }

  /** Runs every job (all with {@code cols} columns, all reading {@code xs[0..n)}) in one parallel region. */
  public static void matmul(Parallel par, float[][] xs, int n, int cols, Job... jobs) {
    if (n > 1 && Kernels.VECTORIZED) {
      gemm(par, xs, n, cols, jobs);
      return;
    }
    int[] start = new int[jobs.length + 1];
    for (int j = 0; j < jobs.length; j++) {
      start[j + 1] = start[j] + ceilDiv(jobs[j].rows(), TILE);
    }
    par.forRange(start[jobs.length], Math.max(1, MIN_ROWS_PER_CHUNK / TILE), (from, to) -> {
      float[][] rowBuf = n == 1 ? null : new float[TILE][cols];
      int j = 0;
      for (int tile = from; tile < to; tile++) {
        while (tile >= start[j + 1]) {
          j++;
        }
        Job job = jobs[j];
        int r0 = (tile - start[j]) * TILE;
        int r1 = Math.min(job.rows(), r0 + TILE);
        if (n == 1) {
          for (int r = r0; r < r1; r++) {
            job.outs()[0][r] = job.w().dot((long) r * cols, xs[0], 0, cols);
          }
        } else {
          for (int r = r0; r < r1; r++) {
            job.w().copyTo((long) r * cols, rowBuf[r - r0], 0, cols);
          }
          block(rowBuf, r1 - r0, r0, xs, n, cols, job.outs());
        }
      }
    });
  }

  /** The prefill path: panels of {@link #PANEL} rows over all jobs, claimed by the threads. */
  private static void gemm(Parallel par, float[][] xs, int n, int cols, Job[] jobs) {
    int[] start = new int[jobs.length + 1];
    for (int j = 0; j < jobs.length; j++) {
      start[j + 1] = start[j] + ceilDiv(jobs[j].rows(), PANEL);
    }
    par.forRange(start[jobs.length], 1, (from, to) -> {
      float[][] scratch = scratch(cols);
      float[] tile = scratch[0];
      float[] row = scratch[1];
      float[] tmp = scratch[2];
      int j = 0;
      for (int panel = from; panel < to; panel++) {
        while (panel >= start[j + 1]) {
          j++;
        }
        Job job = jobs[j];
        int r0 = (panel - start[j]) * PANEL;
        int count = Math.min(PANEL, job.rows() - r0);
        pack(job.w(), r0, count, cols, row, tile);
        int t = 0;
        for (; t + TOKENS <= n; t += TOKENS) {
          kernel6(tile, xs, t, cols, job.outs(), r0, count, tmp);
        }
        for (; t < n; t++) {
          kernel1(tile, xs[t], cols, job.outs()[t], r0, count, tmp);
        }
      }
    });
  }

  /** Per-thread buffers: the packed tile, one dequantized row, one panel of outputs. */
  private static float[][] scratch(int cols) {
    float[][] s = SCRATCH.get();
    if (s == null || s[1].length < cols) {
      s = new float[][] {new float[cols * PANEL], new float[cols], new float[PANEL]};
      SCRATCH.set(s);
    }
    return s;
  }

  /** {@code tile[k * PANEL + i] = w[r0 + i][k]}, zero for {@code i >= count}. */
  static void pack(FloatTensor w, int r0, int count, int cols, float[] row, float[] tile) {
    for (int i = 0; i < PANEL; i++) {
      if (i < count) {
        w.copyTo((long) (r0 + i) * cols, row, 0, cols);
        for (int k = 0, o = i; k < cols; k++, o += PANEL) {
          tile[o] = row[k];
        }
      } else {
        for (int k = 0, o = i; k < cols; k++, o += PANEL) {
          tile[o] = 0f;
        }
      }
    }
  }

  /** {@code outs[t0 + t][r0 + i] = sum_k tile[k][i] * xs[t0 + t][k]} for {@code t < 6}, {@code i < count}. */
  private static void kernel6(float[] tile, float[][] xs, int t0, int cols, float[][] outs, int r0, int count,
      float[] tmp) {
    var s = Kernels.F;
    int l = s.length();
    float[] x0 = xs[t0];
    float[] x1 = xs[t0 + 1];
    float[] x2 = xs[t0 + 2];
    float[] x3 = xs[t0 + 3];
    float[] x4 = xs[t0 + 4];
    float[] x5 = xs[t0 + 5];
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c10 = FloatVector.zero(s),
        c11 = FloatVector.zero(s), c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c30 = FloatVector.zero(s),
        c31 = FloatVector.zero(s), c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c50 = FloatVector.zero(s),
        c51 = FloatVector.zero(s);
    for (int k = 0, o = 0; k < cols; k++, o += PANEL) {
      FloatVector w0 = FloatVector.fromArray(s, tile, o);
      FloatVector w1 = FloatVector.fromArray(s, tile, o + l);
      FloatVector b = FloatVector.broadcast(s, x0[k]);
      c00 = w0.fma(b, c00);
      c01 = w1.fma(b, c01);
      b = FloatVector.broadcast(s, x1[k]);
      c10 = w0.fma(b, c10);
      c11 = w1.fma(b, c11);
      b = FloatVector.broadcast(s, x2[k]);
      c20 = w0.fma(b, c20);
      c21 = w1.fma(b, c21);
      b = FloatVector.broadcast(s, x3[k]);
      c30 = w0.fma(b, c30);
      c31 = w1.fma(b, c31);
      b = FloatVector.broadcast(s, x4[k]);
      c40 = w0.fma(b, c40);
      c41 = w1.fma(b, c41);
      b = FloatVector.broadcast(s, x5[k]);
      c50 = w0.fma(b, c50);
      c51 = w1.fma(b, c51);
    }
    store(c00, c01, outs[t0], r0, count, tmp);
    store(c10, c11, outs[t0 + 1], r0, count, tmp);
    store(c20, c21, outs[t0 + 2], r0, count, tmp);
    store(c30, c31, outs[t0 + 3], r0, count, tmp);
    store(c40, c41, outs[t0 + 4], r0, count, tmp);
    store(c50, c51, outs[t0 + 5], r0, count, tmp);
  }

  /** One activation against the tile. */
  private static void kernel1(float[] tile, float[] x, int cols, float[] out, int r0, int count, float[] tmp) {
    var s = Kernels.F;
    int l = s.length();
    FloatVector c0 = FloatVector.zero(s);
    FloatVector c1 = FloatVector.zero(s);
    for (int k = 0, o = 0; k < cols; k++, o += PANEL) {
      FloatVector b = FloatVector.broadcast(s, x[k]);
      c0 = FloatVector.fromArray(s, tile, o).fma(b, c0);
      c1 = FloatVector.fromArray(s, tile, o + l).fma(b, c1);
    }
    store(c0, c1, out, r0, count, tmp);
  }

  private static void store(FloatVector c0, FloatVector c1, float[] out, int r0, int count, float[] tmp) {
    int l = c0.length();
    if (count == PANEL) {
      c0.intoArray(out, r0);
      c1.intoArray(out, r0 + l);
    } else {
      c0.intoArray(tmp, 0);
      c1.intoArray(tmp, l);
      System.arraycopy(tmp, 0, out, r0, count);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** {@code outs[t][r0 + i] = rows[i] . xs[t]} for {@code i < rowCount}, {@code t < n}. */
  private static void block(float[][] rows, int rowCount, int r0, float[][] xs, int n, int cols, float[][] outs) {
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < rowCount; i++) {
        outs[t][r0 + i] = VectorMath.dot(rows[i], 0, xs[t], 0, cols);
      }
    }
  }
}
