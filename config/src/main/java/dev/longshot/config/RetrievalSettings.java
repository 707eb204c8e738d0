package dev.longshot.config;

/**
 * Search (section {@code retrieval}).
 *
 * @param topK evidence items returned per question
 * @param rrfK the constant k of reciprocal rank fusion, score = sum 1/(k + rank)
 * @param minSimilarity cosine similarity (query embedding vs. evidence embedding) below which a hit is not
 *     accepted as evidence for an answer; the default is measured for BGE-small-en-v1.5 (see retrieval/README.md)
 * @param windowSeconds length of the long "window" documents used for coarse-to-fine search
 * @param mergeGapSeconds adjacent hits closer than this are merged into one time span
 * @param decomposer how a question is split into retrieval requests (see {@link DecomposerKind})
 * @param candidates depth of each ranked list (BM25, kNN, windows) before fusion
 * @param windowPartWords late interaction (issue 20): each window document is also embedded as half-overlapping parts
 *     of this many words, and the coarse pass scores a window by its best part; 0 = one pooled vector per window
 */
public record RetrievalSettings(
    int topK, int rrfK, double minSimilarity, double windowSeconds, double mergeGapSeconds, DecomposerKind decomposer, int candidates,
    int windowPartWords) {
  public RetrievalSettings {
    Check.range("retrieval.top-k", topK, 1, 200);
    Check.range("retrieval.rrf-k", rrfK, 1, 1000);
    Check.range("retrieval.min-similarity", minSimilarity, -1.0, 1.0);
    Check.range("retrieval.window-seconds", windowSeconds, 10.0, 3600.0);
    Check.range("retrieval.merge-gap-seconds", mergeGapSeconds, 0.0, 60.0);
    Check.present("retrieval.decomposer", decomposer, DecomposerKind.class);
    Check.range("retrieval.candidates", candidates, 1, 1000);
    Check.range("retrieval.window-part-words", windowPartWords, 0, 100_000);
  }
}
