package dev.longshot.vlm.attention;

import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.VectorMath;

/**
 * Exact causal scaled dot-product attention over every cached entry whose position is at most the query's, in
 * 64-key tiles with online softmax: {@code out = softmax(q K^T / sqrt(d)) V}. The reference strategy for prefill
 * and decode. Work is split over (head, query) pairs. An optional {@link AttentionObserver} gets each prefill row's
 * probabilities (computed in a second pass, so only pay for it when observing).
 */
public final class DenseAttention implements PrefillAttention, DecodeAttention {
  /** Keys per tile; MMInference's block size. */
  public static final int TILE = 64;

  private final AttentionObserver observer;

  public DenseAttention() {
    this(null);
  }

  public DenseAttention(AttentionObserver observer) {
    this.observer = observer;
  }

  @Override
  public void attend(PrefillBatch b, KvCache cache, Parallel parallel) {
    AttentionShape s = b.shape();
    int rows = s.heads() * b.count();
    parallel.forRange(rows, 4, (from, to) -> {
      RowState st = new RowState(s.headDim());
      float[] scores = new float[TILE];
      for (int r = from; r < to; r++) {
        int head = r % s.heads();
        int t = r / s.heads();
        attendRow(s, b.layer(), head, b.q()[t], b.positions()[t], cache, st, scores, b.out()[t]);
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
        attendRowNoObserver(s, layer, head, q, position, cache, st, scores, out);
      }
    });
  }

  private void attendRow(AttentionShape s, int layer, int head, float[] q, int position, KvCache cache, RowState st,
      float[] scores, float[] out) {
    int n = attendRowNoObserver(s, layer, head, q, position, cache, st, scores, out);
    if (observer != null) {
      float[] weights = new float[n];
      int kvHead = s.kvHeadOf(head);
      float[] keys = cache.keys(layer, kvHead);
      float lse = st.logSumExp();
      int d = s.headDim();
      for (int e = 0; e < n; e++) {
        weights[e] = (float) Math.exp(VectorMath.dot(q, head * d, keys, e * d, d) * s.scale() - lse);
      }
      observer.onRow(layer, head, position, weights, n);
    }
  }

  /** Attends one head of one query; returns how many entries it saw. */
  private static int attendRowNoObserver(AttentionShape s, int layer, int head, float[] q, int position,
      KvCache cache, RowState st, float[] scores, float[] out) {
    int d = s.headDim();
    int kvHead = s.kvHeadOf(head);
    int n = cache.countUpTo(layer, kvHead, position);
    float[] keys = cache.keys(layer, kvHead);
    float[] values = cache.values(layer, kvHead);
    float scale = s.scale();
    st.reset();
    for (int start = 0; start < n; start += TILE) {
      int len = Math.min(TILE, n - start);
      for (int j = 0; j < len; j++) {
        scores[j] = VectorMath.dot(q, head * d, keys, (start + j) * d, d) * scale;
      }
      st.accumulate(scores, len, values, start * d);
    }
    st.writeTo(out, head * d);
    return n;
  }
}
