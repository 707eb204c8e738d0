package dev.longshot.vlm.kv;

/** The tests' reference for one attention row, in double: written once for the KV scoring and compression tests. */
final class CausalSoftmax {
  private CausalSoftmax() {}

  /**
   * {@code softmax(q_i k_j / sqrt(d))} over keys {@code j = 0..i} for query head {@code h} of {@code qi} and kv head
   * {@code g} of the key rows {@code k} (each head {@code d} wide).
   */
  static double[] row(float[] qi, float[][] k, int h, int g, int i, int d) {
    double[] w = new double[i + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j <= i; j++) {
      double dot = 0;
      for (int x = 0; x < d; x++) {
        dot += (double) qi[h * d + x] * k[j][g * d + x];
      }
      w[j] = dot / Math.sqrt(d);
      max = Math.max(max, w[j]);
    }
    double sum = 0;
    for (int j = 0; j <= i; j++) {
      w[j] = Math.exp(w[j] - max);
      sum += w[j];
    }
    for (int j = 0; j <= i; j++) {
      w[j] /= sum;
    }
    return w;
  }
}
