package dev.longshot.vlm.attention;

import dev.longshot.vlm.tensor.Parallel;

/**
 * How one decode query (a single new token at absolute {@code position}, its key/value already cached) attends to
 * the cache of {@code layer}. {@code q} and {@code out} hold {@code heads * headDim} values. Thread-safe.
 */
public interface DecodeAttention {
  void attend(AttentionShape shape, int layer, float[] q, int position, KvCache cache, float[] out, Parallel parallel);
}
