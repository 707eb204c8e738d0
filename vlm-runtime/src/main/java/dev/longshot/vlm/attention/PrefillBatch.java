package dev.longshot.vlm.attention;

/**
 * The queries of one layer during prefill: {@code q[t]} holds {@code heads * headDim} values (after RoPE) for the
 * token at absolute {@code positions[t]}, {@code t < count}; the strategy writes {@code out[t]} in the same layout.
 * The tokens' own keys and values are already in the cache when the strategy runs. {@code observer} (nullable)
 * gets the softmax weights of the rows it {@link AttentionObserver#observes observes} (per-generation score
 * accumulation for KV compression).
 */
public record PrefillBatch(AttentionShape shape, int layer, float[][] q, int[] positions, int count, float[][] out,
    AttentionObserver observer) {
  /** A batch nobody observes. */
  public PrefillBatch(AttentionShape shape, int layer, float[][] q, int[] positions, int count, float[][] out) {
    this(shape, layer, q, positions, count, out, null);
  }
}
