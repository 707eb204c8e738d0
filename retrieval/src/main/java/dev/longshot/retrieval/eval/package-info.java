/**
 * Retrieval evaluation: a JSON Lines questions file ({@link dev.longshot.retrieval.eval.QuestionsFile}), the
 * metrics (recall@1 and recall@5 of the right moment within a tolerance, answer keyword hit rate, latency p50/p95;
 * {@link dev.longshot.retrieval.eval.RetrievalEvaluation}). The developer harness that evaluates an existing index
 * with the real embedder, {@code EvaluateIndex}, lives in the test sources (it needs the embeddings module, which
 * retrieval uses at test scope only): {@code bench/run retrieval dev.longshot.retrieval.eval.EvaluateIndex}.
 */
package dev.longshot.retrieval.eval;
