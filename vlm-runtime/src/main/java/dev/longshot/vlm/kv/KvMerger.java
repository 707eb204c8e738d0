package dev.longshot.vlm.kv;

import dev.longshot.config.KvMerge;
import dev.longshot.vlm.tensor.VectorMath;

/**
 * LOOK-M's merge of evicted entries into kept ones, for one (layer, kv head). Each evicted entry {@code e} is matched
 * to the kept entry whose key is most similar, {@code p(e) = argmax_c cos(k_e, k_c)} over all kept entries (text and
 * recent ones included; ties: the earliest kept entry), with similarity {@code s_e}; values follow the key's pivot.
 * A kept entry {@code c} receiving the set {@code I_c} becomes {@code x'_c = (x_c + sum_{e in I_c} src_e) /
 * (1 + |I_c|)} (PyTorch's {@code scatter_reduce(mean, include_self=True)}), for keys and values alike:
 * <ul>
 *   <li>{@link KvMerge#PIVOTAL}: {@code src_e = (x_e + x_p(e)) / 2}, i.e. {@code x'_c = (x_c (1 + n/2) + sum x_e / 2)
 *       / (1 + n)};</li>
 *   <li>{@link KvMerge#AVERAGED}: {@code src_e = x_e}, over all evicted entries (the reference pairs the i-th
 *       filtered pivot with the i-th evicted entry, a bug; this is the intended mean);</li>
 *   <li>{@link KvMerge#WEIGHTED}: {@code src_e = s_e x_e}, only for entries with {@code s_e} at least the mean
 *       similarity of this head's evicted entries (the reference averages over heads per evicted rank, which pairs
 *       different tokens when heads evict different entries; per head is the intended filter); the others are
 *       dropped. As in the reference, {@code s_e <= 1} shrinks norms.</li>
 * </ul>
 * Entries that receive nothing are left bit-identical. Stateless.
 */
public final class KvMerger {
  private KvMerger() {}

  /** The pivot and similarity of every evicted entry. */
  public record Matches(int[] pivot, float[] similarity) {}

  /**
   * Merges {@code evicted} into {@code kept} (entry indices into {@code keys}/{@code values}, rows of {@code d});
   * returns the merged rows of the kept entries, {@code kept.length * d} floats each for keys ([0]) and values ([1]).
   */
  public static float[][] merge(KvMerge kind, float[] keys, float[] values, int d, int[] kept, int[] evicted) {
    Matches m = match(keys, d, kept, evicted);
    float[] sumK = new float[kept.length * d];
    float[] sumV = new float[kept.length * d];
    float[] count = new float[kept.length];
    float threshold = kind == KvMerge.WEIGHTED ? mean(m.similarity()) : 0f;
    for (int i = 0; i < evicted.length; i++) {
      int e = evicted[i] * d;
      int p = m.pivot()[i];
      float s = m.similarity()[i];
      switch (kind) {
        case PIVOTAL -> {
          VectorMath.axpy(0.5f, keys, e, sumK, p * d, d);
          VectorMath.axpy(0.5f, keys, kept[p] * d, sumK, p * d, d);
          VectorMath.axpy(0.5f, values, e, sumV, p * d, d);
          VectorMath.axpy(0.5f, values, kept[p] * d, sumV, p * d, d);
        }
        case AVERAGED -> {
          VectorMath.axpy(1f, keys, e, sumK, p * d, d);
          VectorMath.axpy(1f, values, e, sumV, p * d, d);
        }
        case WEIGHTED -> {
          if (s < threshold) {
            continue;
          }
          VectorMath.axpy(s, keys, e, sumK, p * d, d);
          VectorMath.axpy(s, values, e, sumV, p * d, d);
        }
      }
      count[p]++;
    }
    float[] outK = new float[kept.length * d];
    float[] outV = new float[kept.length * d];
    for (int c = 0; c < kept.length; c++) {
      int src = kept[c] * d;
      if (count[c] == 0) {
        System.arraycopy(keys, src, outK, c * d, d);
        System.arraycopy(values, src, outV, c * d, d);
        continue;
      }
      float inv = 1f / (1f + count[c]);
      for (int i = 0; i < d; i++) {
        outK[c * d + i] = (keys[src + i] + sumK[c * d + i]) * inv;
        outV[c * d + i] = (values[src + i] + sumV[c * d + i]) * inv;
      }
    }
    return new float[][] {outK, outV};
  }

  /** For each evicted entry, the index (into {@code kept}) of the kept key of highest cosine, and that cosine. */
  public static Matches match(float[] keys, int d, int[] kept, int[] evicted) {
    float[] unit = new float[kept.length * d];
    for (int c = 0; c < kept.length; c++) {
      float inv = inverseNorm(keys, kept[c] * d, d);
      for (int i = 0; i < d; i++) {
        unit[c * d + i] = keys[kept[c] * d + i] * inv;
      }
    }
    int[] pivot = new int[evicted.length];
    float[] similarity = new float[evicted.length];
    for (int i = 0; i < evicted.length; i++) {
      int e = evicted[i] * d;
      float inv = inverseNorm(keys, e, d);
      float best = Float.NEGATIVE_INFINITY;
      int arg = 0;
      for (int c = 0; c < kept.length; c++) {
        float cos = VectorMath.dot(keys, e, unit, c * d, d) * inv;
        if (cos > best) {
          best = cos;
          arg = c;
        }
      }
      pivot[i] = arg;
      similarity[i] = best;
    }
    return new Matches(pivot, similarity);
  }

  /** {@code 1 / ||x||}, 0 for a zero vector (whose cosine with anything is then 0). */
  private static float inverseNorm(float[] x, int off, int d) {
    double ss = 0;
    for (int i = 0; i < d; i++) {
      ss += (double) x[off + i] * x[off + i];
    }
    return ss == 0 ? 0f : (float) (1 / Math.sqrt(ss));
  }

  private static float mean(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v;
    }
    return x.length == 0 ? 0f : (float) (s / x.length);
  }
}
