package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Matrix-vector and matrix-matrix products of weight matrices {@code [rows][cols]} with activations, in parallel.
 * Several matrices that read the same input (Q/K/V, gate/up) run in one parallel region to save thread hand-offs.
 * Prefill ({@code n > 1}) dequantizes 4 weight rows at a time and multiplies them with 4 activations at a time in a
 * register-blocked 4x4 kernel, so each loaded weight value is used 4 times.
 */
public final class Matmul {
  private static final int MIN_ROWS_PER_CHUNK = 16;
  private static final int TILE = 4;

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

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** {@code outs[t][r0 + i] = rows[i] . xs[t]} for {@code i < rowCount}, {@code t < n}. */
  private static void block(float[][] rows, int rowCount, int r0, float[][] xs, int n, int cols, float[][] outs) {
    int t = 0;
    if (Kernels.VECTORIZED && rowCount == TILE) {
      for (; t + TILE <= n; t += TILE) {
        tile4x4(rows, xs, t, cols, outs, r0);
      }
    }
    for (; t < n; t++) {
      for (int i = 0; i < rowCount; i++) {
        outs[t][r0 + i] = VectorMath.dot(rows[i], 0, xs[t], 0, cols);
      }
    }
  }

  /** The 4x4 register-blocked kernel: 16 accumulators, 8 loads per 16 FMAs. */
  private static void tile4x4(float[][] w, float[][] xs, int t0, int cols, float[][] outs, int r0) {
    var s = Kernels.F;
    float[] w0 = w[0];
    float[] w1 = w[1];
    float[] w2 = w[2];
    float[] w3 = w[3];
    float[] x0 = xs[t0];
    float[] x1 = xs[t0 + 1];
    float[] x2 = xs[t0 + 2];
    float[] x3 = xs[t0 + 3];
    FloatVector a00 = FloatVector.zero(s), a01 = FloatVector.zero(s), a02 = FloatVector.zero(s),
        a03 = FloatVector.zero(s), a10 = FloatVector.zero(s), a11 = FloatVector.zero(s), a12 = FloatVector.zero(s),
        a13 = FloatVector.zero(s), a20 = FloatVector.zero(s), a21 = FloatVector.zero(s), a22 = FloatVector.zero(s),
        a23 = FloatVector.zero(s), a30 = FloatVector.zero(s), a31 = FloatVector.zero(s), a32 = FloatVector.zero(s),
        a33 = FloatVector.zero(s);
    int upper = s.loopBound(cols);
    int k = 0;
    for (; k < upper; k += s.length()) {
      FloatVector v0 = FloatVector.fromArray(s, x0, k);
      FloatVector v1 = FloatVector.fromArray(s, x1, k);
      FloatVector v2 = FloatVector.fromArray(s, x2, k);
      FloatVector v3 = FloatVector.fromArray(s, x3, k);
      FloatVector r = FloatVector.fromArray(s, w0, k);
      a00 = r.fma(v0, a00);
      a01 = r.fma(v1, a01);
      a02 = r.fma(v2, a02);
      a03 = r.fma(v3, a03);
      r = FloatVector.fromArray(s, w1, k);
      a10 = r.fma(v0, a10);
      a11 = r.fma(v1, a11);
      a12 = r.fma(v2, a12);
      a13 = r.fma(v3, a13);
      r = FloatVector.fromArray(s, w2, k);
      a20 = r.fma(v0, a20);
      a21 = r.fma(v1, a21);
      a22 = r.fma(v2, a22);
      a23 = r.fma(v3, a23);
      r = FloatVector.fromArray(s, w3, k);
      a30 = r.fma(v0, a30);
      a31 = r.fma(v1, a31);
      a32 = r.fma(v2, a32);
      a33 = r.fma(v3, a33);
    }
    float[] sums = {a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
        a02.reduceLanes(VectorOperators.ADD), a03.reduceLanes(VectorOperators.ADD),
        a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
        a12.reduceLanes(VectorOperators.ADD), a13.reduceLanes(VectorOperators.ADD),
        a20.reduceLanes(VectorOperators.ADD), a21.reduceLanes(VectorOperators.ADD),
        a22.reduceLanes(VectorOperators.ADD), a23.reduceLanes(VectorOperators.ADD),
        a30.reduceLanes(VectorOperators.ADD), a31.reduceLanes(VectorOperators.ADD),
        a32.reduceLanes(VectorOperators.ADD), a33.reduceLanes(VectorOperators.ADD)};
    for (int i = 0; i < TILE; i++) {
      for (int t = 0; t < TILE; t++) {
        float sum = sums[i * TILE + t];
        for (int kk = k; kk < cols; kk++) {
          sum += w[i][kk] * xs[t0 + t][kk];
        }
        outs[t0 + t][r0 + i] = sum;
      }
    }
  }
}
