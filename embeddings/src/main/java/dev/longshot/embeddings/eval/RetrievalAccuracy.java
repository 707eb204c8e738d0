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
    int hits = 0;
    for (int q = 0; q < task.queries().size(); q++) {
      float[] qv = embedder.embedQuery(task.queries().get(q));
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int d = 0; d < docs.size(); d++) {
        float s = Vectors.dot(qv, docs.get(d));
        if (s > bestScore) {
          bestScore = s;
          best = d;
        }
      }
      if (best == q) {
        hits++;
      }
    }
    return (double) hits / task.queries().size();
  }
}
