package dev.longshot.vlm.attention.sparse;

/** An exact keep-mask over (query position {@code i}, key position {@code j}); causal ({@code j <= i}) included. */
@FunctionalInterface
public interface AttentionMask {
  boolean keeps(int i, int j);
}
