package dev.longshot.retrieval.query;

/** Splits a question into retrieval requests. Implementations are thread-safe and never throw on odd text. */
public interface QueryDecomposer {
  /** The plan for {@code question} (non-blank; the caller has checked its length). */
  RetrievalPlan decompose(String question);
}
