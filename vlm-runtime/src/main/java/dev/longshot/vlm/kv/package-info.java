/**
 * KV-cache compression after prefill (issue 18): {@link dev.longshot.vlm.kv.AttentionScores} accumulates each
 * entry's attention mass while prefill runs (an {@link dev.longshot.vlm.attention.AttentionObserver}, no second
 * pass), {@link dev.longshot.vlm.kv.KvSelector} picks the entries to keep (LOOK-M's text prior, H2O, recent window)
 * within a {@link dev.longshot.vlm.kv.KvBudget}, {@link dev.longshot.vlm.kv.KvMerger} folds evicted entries into
 * their most similar kept one, and {@link dev.longshot.vlm.kv.CompressingKvCachePolicy} runs the three once per
 * generation and compacts the cache. Formulas and the reference code's quirks: {@code shared/research/lookm.md}.
 */
package dev.longshot.vlm.kv;
