package dev.longshot.vlm.attention;

/**
 * Receives the softmax weights of prefill query rows, e.g. to accumulate the per-key attention mass that KV-cache
 * compression (LOOK-M / H2O: column sums over prefill queries) scores entries by. {@code weights[e]} is the weight
 * of cache entry {@code e} of the head's kv head, for {@code e < entries}; the array is reused after the call. A
 * sparse strategy reports the weights of the blocks it computed and 0 for the entries it skipped. Called from several
 * threads at once (one per head), so implementations synchronise.
 */
@FunctionalInterface
public interface AttentionObserver {
  void onRow(int layer, int head, int queryPosition, float[] weights, int entries);

  /**
   * Whether the row of the query at {@code queryPosition} in {@code layer} is wanted at all; strategies skip the
   * work of reporting rows nobody reads (LOOK-M only reads text queries).
   */
  default boolean observes(int layer, int queryPosition) {
    return true;
  }
}
