package dev.longshot.retrieval.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): score(d) = sum over lists of 1/(k + rank(d)),
 * rank 1-based. Needs no score calibration between BM25 and cosine, which is why hybrid search uses it.
 */
public final class ReciprocalRankFusion {
  private final int k;

  /** @param k the smoothing constant, >= 1 (60 in the paper) */
  public ReciprocalRankFusion(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("RRF k must be >= 1, got " + k);
    }
    this.k = k;
  }

  /** The contribution of one list position, 1-based. */
  public double contribution(int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank is 1-based, got " + rank);
    }
    return 1.0 / (k + rank);
  }

  /** Fuses ranked lists of keys (best first); the result iterates keys in first-seen order. */
  public <K> Map<K, Double> fuse(List<List<K>> rankings) {
    Map<K, Double> out = new LinkedHashMap<>();
    for (List<K> ranking : rankings) {
      for (int i = 0; i < ranking.size(); i++) {
        out.merge(ranking.get(i), contribution(i + 1), Double::sum);
      }
    }
    return out;
  }
}
