package dev.longshot.vlm.attention;

import dev.longshot.vlm.tensor.Parallel;

/**
 * How a layer's prefill queries attend to the cache. {@link DenseAttention} is the exact causal reference; sparse
 * strategies (MMInference's per-head A-shape / vertical-slash / grid patterns on 64x64 blocks) implement this and
 * combine partial passes with {@link RowState#merge}. Implementations must be thread-safe.
 */
public interface PrefillAttention {
  void attend(PrefillBatch batch, KvCache cache, Parallel parallel);
}
