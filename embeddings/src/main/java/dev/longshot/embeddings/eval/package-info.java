/**
 * Long-context retrieval evaluation in the style of LongEmbed (Zhu et al. 2024): synthetic passkey and needle
 * retrieval sets generated from our own text at chosen token lengths, and top-1 accuracy of any {@link
 * dev.longshot.capabilities.TextEmbedder} on them. The harness {@code LongContextEvaluation} (test sources, package
 * {@code bench}) prints the strategy-by-length table.
 */
package dev.longshot.embeddings.eval;
