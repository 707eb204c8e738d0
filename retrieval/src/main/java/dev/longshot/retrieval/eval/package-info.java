/**
 * Retrieval evaluation: a JSON Lines questions file ({@link dev.longshot.retrieval.eval.QuestionsFile}), the
 * metrics (recall@1 and recall@5 of the right moment within a tolerance, answer keyword hit rate, latency p50/p95;
 * {@link dev.longshot.retrieval.eval.RetrievalEvaluation}) and a command-line harness that evaluates an existing
 * index ({@link dev.longshot.retrieval.eval.EvaluateIndex}).
 */
package dev.longshot.retrieval.eval;
