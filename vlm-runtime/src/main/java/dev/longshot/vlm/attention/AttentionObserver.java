package dev.longshot.vlm.attention;

/**
 * Receives the exact softmax weights of every prefill query row, e.g. to accumulate the per-key attention mass
 * that KV-cache compression (LOOK-M / H2O: column sums over all prefill queries) scores entries by.
 * {@code weights[e]} is the weight of cache entry {@code e} of the head's kv head, for {@code e < entries}; the array
 * is reused after the call. Called from several threads at once (one per head), so implementations synchronise.
 */
@FunctionalInterface
public interface AttentionObserver {
  void onRow(int layer, int head, int queryPosition, float[] weights, int entries);

  /**
   * Called by sparse prefill strategies (which never see most weights, so never call {@link #onRow}) once per
   * (layer, head) and prefill batch: {@code mass[e]} is the summed final softmax weight that the batch's query rows
   * gave cache entry {@code e} through the blocks the strategy computed (keys it skipped get nothing), for
   * {@code e < entries}. The array is reused after the call. Does nothing unless overridden.
   */
  default void onKeyMass(int layer, int head, float[] mass, int entries) {}
}
