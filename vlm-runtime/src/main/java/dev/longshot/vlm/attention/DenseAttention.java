package dev.longshot.vlm.attention;

import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.VectorMath;
import java.util.Arrays;

/**
 * Exact causal scaled dot-product attention over every cached entry whose position is at most the query's, in
 * 64-key tiles with online softmax: {@code out = softmax(q K^T / sqrt(d)) V}. The reference strategy for prefill
 * and decode. Work is split over (head, query) pairs. An {@link AttentionObserver} (the batch's, else the one given
 * here) gets the probabilities of the rows it observes without a second pass over the keys: each tile's
 * unnormalised weights {@code exp(s_j - m_t)} (already computed by the online softmax) are kept with the running
 * max {@code m_t} they were taken against and rescaled once by {@code exp(m_t - logSumExp)} at the end of the row.
 */
public final class DenseAttention implements PrefillAttention, DecodeAttention {
  /** Keys per tile; MMInference's block size. */
  public static final int TILE = 64;

  private final AttentionObserver observer;

  public DenseAttention() {
    this(null);
  }

  /** Dense attention reporting every prefill batch's rows to {@code observer} when the batch brings none. */
  public DenseAttention(AttentionObserver observer) {
    this.observer = observer;
  }

  @Override
  public void attend(PrefillBatch b, KvCache cache, Parallel parallel) {
    AttentionShape s = b.shape();
    AttentionObserver obs = b.observer() != null ? b.observer() : observer;
    int rows = s.heads() * b.count();
    parallel.forRange(rows, 4, (from, to) -> {
      RowState st = new RowState(s.headDim());
      float[] scores = new float[TILE];
      RowWeights weights = obs == null ? null : new RowWeights();
      for (int r = from; r < to; r++) {
        int head = r % s.heads();
        int t = r / s.heads();
        int position = b.positions()[t];
        RowWeights w = obs != null && obs.observes(b.layer(), position) ? weights : null;
        int n = attendRow(s, b.layer(), head, b.q()[t], position, cache, st, scores, b.out()[t], w);
        if (w != null) {
          w.normalise(n, st.logSumExp());
          obs.onRow(b.layer(), head, position, w.weights, n);
        }
      }
    });
  }

  @Override
  public void attend(AttentionShape s, int layer, float[] q, int position, KvCache cache, float[] out,
      Parallel parallel) {
    parallel.forRange(s.heads(), (from, to) -> {
      RowState st = new RowState(s.headDim());
      float[] scores = new float[TILE];
      for (int head = from; head < to; head++) {
        attendRow(s, layer, head, q, position, cache, st, scores, out, null);
      }
    });
  }

  /**
   * Attends one head of one query; returns how many entries it saw. With {@code w}, keeps each tile's
   * {@code exp(s_j - m_t)} and {@code m_t} for {@link RowWeights#normalise}.
   */
  private static int attendRow(AttentionShape s, int layer, int head, float[] q, int position, KvCache cache,
      RowState st, float[] scores, float[] out, RowWeights w) {
    int d = s.headDim();
    int kvHead = s.kvHeadOf(head);
    int n = cache.countUpTo(layer, kvHead, position);
    float[] keys = cache.keys(layer, kvHead);
    float[] values = cache.values(layer, kvHead);
    float scale = s.scale();
    st.reset();
    if (w != null) {
      w.ensure(n);
    }
    for (int start = 0, tile = 0; start < n; start += TILE, tile++) {
      int len = Math.min(TILE, n - start);
      for (int j = 0; j < len; j++) {
        scores[j] = VectorMath.dot(q, head * d, keys, (start + j) * d, d) * scale;
      }
      st.accumulate(scores, len, values, start * d);
      if (w != null) {
        System.arraycopy(scores, 0, w.weights, start, len);
        w.tileMax[tile] = st.max();
      }
    }
    st.writeTo(out, head * d);
    return n;
  }

  /** One thread's buffers for an observed row: unnormalised tile weights and the max each was shifted by. */
  private static final class RowWeights {
    float[] weights = new float[TILE];
    float[] tileMax = new float[1];

    void ensure(int n) {
      if (weights.length < n) {
        weights = new float[Math.max(n, weights.length * 2)];
      }
      int tiles = (n + TILE - 1) / TILE;
      if (tileMax.length < tiles) {
        tileMax = new float[Math.max(tiles, tileMax.length * 2)];
      }
    }

    /** {@code w_j = exp(s_j - m_t) * exp(m_t - lse) = softmax_j}. */
    void normalise(int n, float logSumExp) {
      for (int start = 0, tile = 0; start < n; start += TILE, tile++) {
        int end = Math.min(n, start + TILE);
        float m = tileMax[tile];
        if (m == Float.NEGATIVE_INFINITY) {
          Arrays.fill(weights, start, end, 0f);
          continue;
        }
        float f = (float) Math.exp(m - logSumExp);
        for (int j = start; j < end; j++) {
          weights[j] *= f;
        }
      }
    }
  }
}
