package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.tensor.VectorMath;
import java.util.Arrays;

/**
 * The online step of a vertical-slash head: from a few query rows (the last ones of a span), the causal softmax
 * {@code A = softmax(q K^T / sqrt(d))} over keys {@code [0, row]}; column sums and diagonal sums of {@code A}
 * restricted to the allowed key intervals; forced first columns and nearest diagonals; top-k of each.
 */
final class VsEstimator {
  private VsEstimator() {}

  static VsIndex estimate(BlockSparseKernel.HeadInput in, int[] rows, int[][] allowed, int v, int s) {
    int end = rows[rows.length - 1] + 1;
    int d = in.headDim();
    float[] colsum = new float[end];
    float[] diag = new float[end];
    double[] a = new double[end];
    for (int i : rows) {
      float[] q = in.q()[i - in.q0()];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j <= i; j++) {
        a[j] = VectorMath.dot(q, in.qOffset(), in.keys(), j * d, d) * in.scale();
        max = Math.max(max, a[j]);
      }
      double sum = 0;
      for (int j = 0; j <= i; j++) {
        a[j] = Math.exp(a[j] - max);
        sum += a[j];
      }
      for (int j = 0; j <= i; j++) {
        float p = (float) (a[j] / sum);
        colsum[j] += p;
        diag[i - j] += p;
      }
    }
    boolean[] ok = allowedMask(allowed, end);
    boolean[] diagOk = new boolean[end];
    Arrays.fill(colsum, 0, Math.min(end, VerticalSlashPattern.FORCED_VERTICALS), Float.POSITIVE_INFINITY);
    Arrays.fill(diag, 0, Math.min(end, VerticalSlashPattern.FORCED_SLASHES), Float.POSITIVE_INFINITY);
    // a diagonal is a candidate if some estimation row meets an allowed key on it
    for (int i : rows) {
      for (int sigma = 0; sigma <= i; sigma++) {
        diagOk[sigma] |= ok[i - sigma];
      }
    }
    return new VsIndex(topK(colsum, ok, v), topK(diag, diagOk, s));
  }

  private static boolean[] allowedMask(int[][] allowed, int end) {
    boolean[] ok = new boolean[end];
    for (int[] iv : allowed) {
      Arrays.fill(ok, Math.min(iv[0], end), Math.min(iv[1], end), true);
    }
    return ok;
  }

  /** Indices of the {@code k} largest allowed values (ties: lower index first), ascending. */
  static int[] topK(float[] values, boolean[] allowed, int k) {
    long[] packed = new long[values.length];
    int n = 0;
    for (int j = 0; j < values.length; j++) {
      if (allowed[j]) {
        // non-negative floats order like their bits; ~j makes the lower index win a tie
        packed[n++] = ((long) Float.floatToIntBits(values[j]) << 32) | (~j & 0xffffffffL);
      }
    }
    Arrays.sort(packed, 0, n);
    int take = Math.min(k, n);
    int[] out = new int[take];
    for (int t = 0; t < take; t++) {
      out[t] = ~(int) packed[n - 1 - t];
    }
    Arrays.sort(out);
    return out;
  }
}
