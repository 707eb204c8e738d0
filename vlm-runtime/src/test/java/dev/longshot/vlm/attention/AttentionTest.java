package dev.longshot.vlm.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.vlm.tensor.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Dense attention against a plain softmax, the log-sum-exp merge, and the KV cache's drop/merge operations. */
class AttentionTest {
  private static final long SEED = 99L;

  @Test
  void tiledDenseAttentionMatchesPlainSoftmaxAndLogSumExpMergeIsExact() {
    SplittableRandom r = new SplittableRandom(SEED);
    AttentionShape s = new AttentionShape(4, 2, 8);
    int n = 150; // crosses two 64-key tile boundaries
    DenseKvCache cache = new DenseKvCache(1, 2, 8, 256);
    for (int p = 0; p < n; p++) {
      cache.append(0, p, random(r, 16), random(r, 16));
    }
    float[] q = random(r, 32);
    float[] out = new float[32];
    try (Parallel par = new Parallel(2)) {
      new DenseAttention().attend(s, 0, q, n - 1, cache, out, par);
    }
    for (int h = 0; h < 4; h++) {
      float[] expected = plainAttention(q, h, cache, s.kvHeadOf(h), n, s);
      for (int i = 0; i < 8; i++) {
        assertThat(out[h * 8 + i]).as("head %d dim %d seed %d", h, i, SEED).isCloseTo(expected[i], within(1e-5f));
      }
      // two partial states over disjoint key sets merge into the whole
      RowState a = new RowState(8);
      RowState b = new RowState(8);
      float[] scores = new float[n];
      float[] keys = cache.keys(0, s.kvHeadOf(h));
      for (int j = 0; j < n; j++) {
        scores[j] = dot(q, h * 8, keys, j * 8, 8) * s.scale();
      }
      a.accumulate(java.util.Arrays.copyOfRange(scores, 0, 70), 70, cache.values(0, s.kvHeadOf(h)), 0);
      b.accumulate(java.util.Arrays.copyOfRange(scores, 70, n), n - 70, cache.values(0, s.kvHeadOf(h)), 70 * 8);
      a.merge(b);
      float[] merged = new float[8];
      a.writeTo(merged, 0);
      assertThat(merged).containsExactly(expected, within(1e-5f));
    }
  }

  @Test
  void observerSeesRowsThatSumToOne() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    AttentionShape s = new AttentionShape(2, 1, 4);
    DenseKvCache cache = new DenseKvCache(1, 1, 4, 64);
    int n = 10;
    float[][] q = new float[n][];
    int[] pos = new int[n];
    for (int p = 0; p < n; p++) {
      cache.append(0, p, random(r, 4), random(r, 4));
      q[p] = random(r, 8);
      pos[p] = p;
    }
    double[] mass = new double[n];
    int[] rows = {0};
    DenseAttention observed = new DenseAttention((layer, head, qp, w, entries) -> {
      synchronized (mass) {
        double sum = 0;
        for (int e = 0; e < entries; e++) {
          mass[e] += w[e];
          sum += w[e];
        }
        assertThat(entries).isEqualTo(qp + 1); // causal
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        rows[0]++;
      }
    });
    try (Parallel par = new Parallel(2)) {
      observed.attend(new PrefillBatch(s, 0, q, pos, n, new float[n][8]), cache, par);
    }
    assertThat(rows[0]).isEqualTo(2 * n);
    assertThat(mass[0]).isGreaterThan(mass[n - 1]); // the first key is seen by every query
  }

  @Test
  void cacheKeepsAbsolutePositionsWhenEntriesAreDroppedOrMerged() {
    DenseKvCache c = new DenseKvCache(2, 2, 2, 8);
    for (int p = 0; p < 6; p++) {
      c.append(1, p, new float[] {p, p, 10 + p, 10 + p}, new float[] {-p, -p, -10 - p, -10 - p});
    }
    c.retain(1, 0, new int[] {0, 2, 5});
    c.set(1, 0, 1, new float[] {9, 9}, 0, new float[] {8, 8}, 0);
    assertThat(c.size(1, 0)).isEqualTo(3);
    assertThat(c.size(1, 1)).isEqualTo(6);
    assertThat(new int[] {c.position(1, 0, 0), c.position(1, 0, 1), c.position(1, 0, 2)}).containsExactly(0, 2, 5);
    assertThat(c.keys(1, 0)[2]).isEqualTo(9f);
    assertThat(c.values(1, 0)[4]).isEqualTo(-5f);
    assertThat(c.countUpTo(1, 0, 4)).isEqualTo(2);
    assertThat(c.nextPosition()).isEqualTo(6);
    c.append(1, 6, new float[4], new float[4]);
    assertThat(c.position(1, 0, 3)).isEqualTo(6);
    assertThatThrownBy(() -> c.retain(1, 0, new int[] {2, 1})).hasMessageContaining("ascending");
    assertThatThrownBy(() -> c.append(1, 3, new float[4], new float[4])).hasMessageContaining("position 3");
    c.append(1, 7, new float[4], new float[4]);
    assertThatThrownBy(() -> c.append(1, 8, new float[4], new float[4])).hasMessageContaining("full");
  }

  static float[] plainAttention(float[] q, int h, KvCache c, int kvh, int n, AttentionShape s) {
    int d = s.headDim();
    double[] w = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      w[j] = dot(q, h * d, c.keys(0, kvh), j * d, d) * s.scale();
      max = Math.max(max, w[j]);
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
      w[j] = Math.exp(w[j] - max);
      sum += w[j];
    }
    float[] out = new float[d];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < d; i++) {
        out[i] += (float) (w[j] / sum * c.values(0, kvh)[j * d + i]);
      }
    }
    return out;
  }

  static float dot(float[] a, int ao, float[] b, int bo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return (float) s;
  }

  static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }
}
