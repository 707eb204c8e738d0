package dev.longshot.vlm.attention;

/**
 * The queries of one layer during prefill: {@code q[t]} holds {@code heads * headDim} values (after RoPE) for the
 * token at absolute {@code positions[t]}, {@code t < count}; the strategy writes {@code out[t]} in the same layout.
 * The tokens' own keys and values are already in the cache when the strategy runs.
 */
public record PrefillBatch(AttentionShape shape, int layer, float[][] q, int[] positions, int count, float[][] out) {}
