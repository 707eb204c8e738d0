package dev.longshot.config;

/**
 * Search (section {@code retrieval}).
 *
 * @param topK evidence items returned per question
 * @param rrfK the constant k of reciprocal rank fusion, score = sum 1/(k + rank)
 * @param minSimilarity cosine similarity below which a vector hit is not accepted as evidence
 * @param windowSeconds length of the long "window" documents used for coarse-to-fine search
 * @param mergeGapSeconds adjacent hits closer than this are merged into one time span
 */
public record RetrievalSettings(int topK, int rrfK, double minSimilarity, double windowSeconds, double mergeGapSeconds) {
  public RetrievalSettings {
    Check.range("retrieval.top-k", topK, 1, 200);
    Check.range("retrieval.rrf-k", rrfK, 1, 1000);
    Check.range("retrieval.min-similarity", minSimilarity, -1.0, 1.0);
    Check.range("retrieval.window-seconds", windowSeconds, 10.0, 3600.0);
    Check.range("retrieval.merge-gap-seconds", mergeGapSeconds, 0.0, 60.0);
  }
}
