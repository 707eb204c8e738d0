package dev.longshot.retrieval.search;

import dev.longshot.timeline.Evidence;

/**
 * One result of a hybrid search: a span of one video and one modality (adjacent segments already merged).
 *
 * @param evidence video, modality, span, text, keyframe; {@code evidence.score()} is the fused RRF score
 * @param similarity cosine similarity between the query embedding and the best segment of the span, -1..1
 * @param lexicalRank 1-based rank of the best segment in the BM25 list, 0 when BM25 did not return it
 * @param vectorRank 1-based rank of the best segment in the kNN list, 0 when kNN did not return it
 * @param segments how many index segments were merged into this span
 */
public record SearchHit(Evidence evidence, double similarity, int lexicalRank, int vectorRank, int segments) {
  /** The fused score (same as {@code evidence().score()}). */
  public double score() {
    return evidence.score();
  }
}
