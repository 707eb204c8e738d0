package dev.longshot.vlm.attention.sparse;

/**
 * A head pattern made concrete for one prefill: the exact mask (written from the reference definitions, the truth
 * the kernel is tested against), the plan the block-sparse kernel runs, and whether the pattern fell back to dense
 * attention (prompt or span shorter than it needs), which the search must not count as the pattern's recall; plus a
 * note on what the online step chose (e.g. grown vertical-slash budgets; empty if nothing), for reports.
 */
public record ResolvedPattern(AttentionMask mask, SparsePlan plan, boolean fallback, String note) {
  public ResolvedPattern(AttentionMask mask, SparsePlan plan, boolean fallback) {
    this(mask, plan, fallback, "");
  }

  public ResolvedPattern(AttentionMask mask, SparsePlan plan) {
    this(mask, plan, false);
  }

  /** Exact causal attention for rows {@code [q0, q1)}, as a fallback. */
  public static ResolvedPattern dense(int q0, int q1) {
    return new ResolvedPattern((i, j) -> j <= i, SparsePlan.dense(q0, q1), true);
  }
}
