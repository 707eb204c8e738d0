package dev.longshot.vlm.kv;

import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import java.util.Arrays;

/**
 * Accumulates, during prefill, the attention mass each cache entry receives: {@code score[layer][kvHead][e] = sum
 * over observed query rows i and over the query heads h of kvHead's group of A[h][i][e]} (H2O / LOOK-M column sums;
 * the group sum is the GQA extension the reference lacks). Only the rows of queries {@code queries} marks are
 * observed (LOOK-M: text queries; null: all), so the cost is a copy and a multiply per observed weight on top of
 * the attention itself. Sums are float32, as the research note recommends (the reference's fp16 collapse is
 * avoided). Entries are indexed as in the uncompressed prefill cache (entry = position for a prompt starting at 0).
 * Thread-safe: one lock per (layer, kv head).
 */
public final class AttentionScores implements AttentionObserver {
  private final AttentionShape shape;
  private final boolean[] queries;
  private final float[][][] scores;
  private final Object[][] locks;

  /** Scores for {@code layers} layers of {@code shape}, observing the queries marked in {@code queries} (null: all). */
  public AttentionScores(int layers, AttentionShape shape, boolean[] queries) {
    this.shape = shape;
    this.queries = queries;
    this.scores = new float[layers][shape.kvHeads()][0];
    this.locks = new Object[layers][shape.kvHeads()];
    for (Object[] row : locks) {
      for (int h = 0; h < row.length; h++) {
        row[h] = new Object();
      }
    }
  }

  @Override
  public boolean observes(int layer, int queryPosition) {
    return queries == null || (queryPosition < queries.length && queries[queryPosition]);
  }

  @Override
  public void onRow(int layer, int head, int queryPosition, float[] weights, int entries) {
    int kvHead = shape.kvHeadOf(head);
    synchronized (locks[layer][kvHead]) {
      float[] s = scores[layer][kvHead];
      if (s.length < entries) {
        s = Arrays.copyOf(s, Math.max(entries, s.length + s.length / 2));
        scores[layer][kvHead] = s;
      }
      for (int e = 0; e < entries; e++) {
        s[e] += weights[e];
      }
    }
  }

  /** The scores of {@code (layer, kvHead)} for entries {@code [0, entries)} (zeros for entries no row reached). */
  public float[] of(int layer, int kvHead, int entries) {
    synchronized (locks[layer][kvHead]) {
      return Arrays.copyOf(scores[layer][kvHead], entries);
    }
  }
}
