package dev.longshot.vlm.model;

/**
 * Rotary position embedding: dimension pair {@code i} of a head at position {@code p} is rotated by
 * {@code p * freqScale * theta^(-2i/d) / factor_i} (Su et al. 2021; linear scaling and Llama 3's per-frequency
 * factors as in llama.cpp's {@code rope_freqs}). Pairs are adjacent or half a head apart depending on
 * {@link RopeStyle}. Immutable and thread-safe.
 */
final class Rope {
  private final int headDim;
  private final RopeStyle style;
  private final double[] freq;

  Rope(ModelConfig c) {
    headDim = c.headDim();
    style = c.ropeStyle();
    int half = headDim / 2;
    freq = new double[half];
    for (int i = 0; i < half; i++) {
      double f = c.ropeFreqScale() * Math.pow(c.ropeTheta(), -2.0 * i / headDim);
      if (c.ropeFreqFactors() != null) {
        f /= c.ropeFreqFactors()[i];
      }
      freq[i] = f;
    }
  }

  /** cos/sin of every pair at {@code position}: {@code table[i]} = cos, {@code table[half + i]} = sin. */
  float[] table(int position) {
    int half = headDim / 2;
    float[] t = new float[headDim];
    for (int i = 0; i < half; i++) {
      double a = position * freq[i];
      t[i] = (float) Math.cos(a);
      t[half + i] = (float) Math.sin(a);
    }
    return t;
  }

  /** Rotates {@code heads} consecutive heads of {@code x} in place with a {@link #table}. */
  void apply(float[] x, int heads, float[] table) {
    int half = headDim / 2;
    for (int h = 0; h < heads; h++) {
      int base = h * headDim;
      for (int i = 0; i < half; i++) {
        int a = style == RopeStyle.INTERLEAVED ? base + 2 * i : base + i;
        int b = style == RopeStyle.INTERLEAVED ? a + 1 : a + half;
        float cos = table[i];
        float sin = table[half + i];
        float x0 = x[a];
        float x1 = x[b];
        x[a] = x0 * cos - x1 * sin;
        x[b] = x0 * sin + x1 * cos;
      }
    }
  }
}
