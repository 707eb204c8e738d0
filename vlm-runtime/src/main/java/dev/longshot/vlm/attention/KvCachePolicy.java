package dev.longshot.vlm.attention;

import dev.longshot.vlm.multimodal.PromptLayout;

/**
 * Creates the KV cache of each generation and may compress it once the prompt is in: LOOK-M-style compression
 * ("look once" after prefill: score by accumulated attention mass, keep text and recent entries, merge evicted ones
 * into their most similar kept entry) plugs in here. Per generation the caller calls {@link #create}, then
 * {@link #beforePrefill} (and reports prefill's attention rows to the observer it returns), runs prefill, then
 * {@link #afterPrefill}; one generation at a time per policy instance.
 */
public interface KvCachePolicy {
  KvCache create(int layers, int kvHeads, int headDim, int capacity);

  /**
   * Called after {@link #create} and before prefill with the attention shape and the prompt's layout (which
   * positions are vision tokens; null for a text-only prompt). Returns the observer prefill should report its rows
   * to, or null when the policy needs no scores.
   */
  default AttentionObserver beforePrefill(KvCache cache, AttentionShape shape, PromptLayout layout) {
    return null;
  }

  /** Called once after the {@code promptLength} prompt tokens are cached, before the first decode step. */
  default void afterPrefill(KvCache cache, int promptLength) {}

  /** A {@link DenseKvCache}, never compressed. */
  static KvCachePolicy dense() {
    return DenseKvCache::new;
  }
}
