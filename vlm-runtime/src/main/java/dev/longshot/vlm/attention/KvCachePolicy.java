package dev.longshot.vlm.attention;

/**
 * Creates the KV cache of each generation and may compress it once the prompt is in: LOOK-M-style compression
 * ("look once" after prefill: score by accumulated attention mass, keep text and recent entries, merge evicted ones
 * into their most similar kept entry) plugs in here, usually together with an {@link AttentionObserver}.
 */
public interface KvCachePolicy {
  KvCache create(int layers, int kvHeads, int headDim, int capacity);

  /** Called once after the {@code promptLength} prompt tokens are cached, before the first decode step. */
  default void afterPrefill(KvCache cache, int promptLength) {}

  /** A {@link DenseKvCache}, never compressed. */
  static KvCachePolicy dense() {
    return DenseKvCache::new;
  }
}
