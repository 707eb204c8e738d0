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
}
