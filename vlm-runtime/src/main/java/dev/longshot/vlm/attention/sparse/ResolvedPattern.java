package dev.longshot.vlm.attention.sparse;

/**
 * A head pattern made concrete for one prefill: the exact mask (written from the reference definitions, the truth
 * the kernel is tested against) and the plan the block-sparse kernel runs.
 */
public record ResolvedPattern(AttentionMask mask, SparsePlan plan) {
  /** Exact causal attention for rows {@code [q0, q1)}. */
  public static ResolvedPattern dense(int q0, int q1) {
    return new ResolvedPattern((i, j) -> j <= i, SparsePlan.dense(q0, q1));
  }
}
