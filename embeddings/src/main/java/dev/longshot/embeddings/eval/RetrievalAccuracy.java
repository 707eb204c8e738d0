package dev.longshot.embeddings.eval;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.embeddings.Vectors;
import java.util.List;

/** Top-1 retrieval accuracy of an embedder on a {@link RetrievalTask} (LongEmbed reports the same for passkey). */
public final class RetrievalAccuracy {
  private RetrievalAccuracy() {}

  /** Fraction of queries whose most similar document (cosine) is their own; ties go to the lower index. */
  public static double top1(TextEmbedder embedder, RetrievalTask task) {
    List<float[]> docs = embedder.embedPassages(task.documents());
    return top1BestPart(docs.stream().map(List::of).toList(), queries(embedder, task));
  }

  /** The query vectors of {@code task}. */
  public static List<float[]> queries(TextEmbedder embedder, RetrievalTask task) {
    return task.queries().stream().map(embedder::embedQuery).toList();
  }

  /**
   * Late interaction: a document scores by its best part (max cosine over its part vectors); the fraction of
   * queries whose best document is their own, ties to the lower index. With one part per document this is
   * {@link #top1(TextEmbedder, RetrievalTask)}.
   */
  public static double top1BestPart(List<List<float[]>> documentParts, List<float[]> queries) {
    int hits = 0;
    for (int q = 0; q < queries.size(); q++) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int d = 0; d < documentParts.size(); d++) {
        float s = Float.NEGATIVE_INFINITY;
        for (float[] part : documentParts.get(d)) {
          s = Math.max(s, Vectors.dot(queries.get(q), part));
        }
        if (s > bestScore) {
          bestScore = s;
          best = d;
        }
      }
      if (best == q) {
        hits++;
      }
    }
    return (double) hits / queries.size();
  }
}
