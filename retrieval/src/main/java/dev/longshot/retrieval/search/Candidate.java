package dev.longshot.retrieval.search;

import dev.longshot.timeline.Modality;

/**
 * One index segment after fusion, before span merging.
 *
 * @param videoId video id
 * @param modality modality
 * @param startMillis start, ms
 * @param endMillis end, ms
 * @param text stored text
 * @param keyframe keyframe name or null
 * @param score fused score
 * @param similarity cosine between query and segment embeddings
 * @param lexicalRank 1-based BM25 rank, 0 when absent
 * @param vectorRank 1-based kNN rank, 0 when absent
 */
public record Candidate(
    String videoId, Modality modality, long startMillis, long endMillis, String text, String keyframe,
    double score, double similarity, int lexicalRank, int vectorRank) {}
