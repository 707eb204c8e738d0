package dev.longshot.retrieval.search;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last step of every backend's hybrid search: turns fused candidates into the best {@code topK} spans. Starts
 * with the top {@code topK} candidates by fused score and pulls in more while merging leaves fewer than {@code topK}
 * spans. Only real matches (a BM25 match, or cosine at least {@code retrieval.min-similarity}) merge, so filler
 * from the kNN list never stretches a strong hit's span. Stateless and thread-safe.
 */
public final class TopSpans {
  /** Candidates in fused order, loaded on demand (a backend may fetch stored fields only when pulled in). */
  public interface Candidates {
    int size();

    /** The first {@code n} candidates, {@code n <= size()}. */
    List<Candidate> first(int n) throws IOException;
  }

  private final SpanMerger merger;
  private final double minSimilarity;

  public TopSpans(SpanMerger merger, double minSimilarity) {
    this.merger = merger;
    this.minSimilarity = minSimilarity;
  }

  public List<SearchHit> select(Candidates byScore, int topK) throws IOException {
    Predicate<Candidate> match = c -> c.lexicalRank() > 0 || c.similarity() >= minSimilarity;
    int n = Math.min(topK, byScore.size());
    List<SearchHit> hits = merger.merge(byScore.first(n), match);
    while (hits.size() < topK && n < byScore.size()) {
      n = Math.min(byScore.size(), n + topK - hits.size());
      hits = merger.merge(byScore.first(n), match);
    }
    return hits.size() > topK ? List.copyOf(hits.subList(0, topK)) : hits;
  }
}
