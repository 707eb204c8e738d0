package dev.longshot.vlm.attention;

import dev.longshot.vlm.tensor.VectorMath;
import java.util.Arrays;

/**
 * Online-softmax state of one query row: running max {@code m}, running sum {@code l = sum exp(s_j - m)} and the
 * unnormalised output {@code acc = sum exp(s_j - m) v_j}. Key tiles can be visited in any order and partial states
 * over disjoint key sets merge exactly by log-sum-exp ({@link #merge}), which is how block-sparse prefill
 * patterns (MMInference: per-head patterns on 64x64 blocks) combine their passes. Not thread-safe.
 */
public final class RowState {
  private final float[] acc;
  private float m = Float.NEGATIVE_INFINITY;
  private float l;

  public RowState(int headDim) {
    acc = new float[headDim];
  }

  public void reset() {
    m = Float.NEGATIVE_INFINITY;
    l = 0f;
    Arrays.fill(acc, 0f);
  }

  /**
   * Adds keys whose (already scaled) scores are {@code scores[0..count)}; their values start at
   * {@code values[valueOffset]}, one {@code headDim} row per key. Scores of {@code -Infinity} are masked out.
   * {@code scores} is overwritten with the unnormalised weights {@code exp(s_j - max)}.
   */
  public void accumulate(float[] scores, int count, float[] values, int valueOffset) {
    int d = acc.length;
    float tileMax = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < count; j++) {
      tileMax = Math.max(tileMax, scores[j]);
    }
    if (tileMax == Float.NEGATIVE_INFINITY) {
      return;
    }
    float newM = Math.max(m, tileMax);
    if (m != Float.NEGATIVE_INFINITY && newM != m) {
      float corr = (float) Math.exp(m - newM);
      l *= corr;
      VectorMath.scale(corr, acc, 0, d);
    }
    m = newM;
    l += VectorMath.expShifted(scores, count, newM); // scores now hold exp(s_j - m); masked ones are 0
    for (int j = 0; j < count; j++) {
      float p = scores[j];
      if (p != 0f) {
        VectorMath.axpy(p, values, valueOffset + j * d, acc, 0, d);
      }
    }
  }

  /** Folds {@code other} (a state over a disjoint key set) into this one: the log-sum-exp merge. */
  public void merge(RowState other) {
    if (other.m == Float.NEGATIVE_INFINITY) {
      return;
    }
    float newM = Math.max(m, other.m);
    float a = m == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(m - newM);
    float b = (float) Math.exp(other.m - newM);
    for (int i = 0; i < acc.length; i++) {
      acc[i] = acc[i] * a + other.acc[i] * b;
    }
    l = l * a + other.l * b;
    m = newM;
  }

  /** Running max of the scores seen. */
  public float max() {
    return m;
  }

  /** {@code log(sum_j exp(s_j))} over the keys seen; {@code -Infinity} if none. */
  public float logSumExp() {
    return m == Float.NEGATIVE_INFINITY ? m : m + (float) Math.log(l);
  }

  /** Writes the attention output {@code acc / l} (zeros if no key was seen) to {@code out[offset..]}. */
  public void writeTo(float[] out, int offset) {
    float inv = l == 0f ? 0f : 1f / l;
    for (int i = 0; i < acc.length; i++) {
      out[offset + i] = acc[i] * inv;
    }
  }
}
