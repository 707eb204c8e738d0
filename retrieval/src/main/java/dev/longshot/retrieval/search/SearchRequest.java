package dev.longshot.retrieval.search;

import dev.longshot.timeline.Modality;
import java.util.Set;

/**
 * One hybrid search.
 *
 * @param query free text; any characters are allowed (it is analysed, never parsed as Lucene query syntax)
 * @param videoIds restrict to these videos; empty means all
 * @param modalities restrict to these modalities; empty means all
 * @param fromMillis only segments ending at or after this time (milliseconds), or null
 * @param toMillis only segments starting at or before this time (milliseconds), or null
 * @param topK hits returned after span merging, 1..1000
 */
public record SearchRequest(String query, Set<String> videoIds, Set<Modality> modalities, Long fromMillis, Long toMillis, int topK) {
  public SearchRequest {
    query = query == null ? "" : query;
    videoIds = videoIds == null ? Set.of() : Set.copyOf(videoIds);
    modalities = modalities == null ? Set.of() : Set.copyOf(modalities);
    if (topK < 1 || topK > 1000) {
      throw new IllegalArgumentException("topK must be 1..1000, got " + topK);
    }
    if (fromMillis != null && toMillis != null && toMillis < fromMillis) {
      throw new IllegalArgumentException("Time range is reversed: from " + fromMillis + " ms to " + toMillis + " ms");
    }
  }

  /** A search over everything in the index. */
  public static SearchRequest of(String query, int topK) {
    return new SearchRequest(query, Set.of(), Set.of(), null, null, topK);
  }

  /** This request with a different query text. */
  public SearchRequest withQuery(String text) {
    return new SearchRequest(text, videoIds, modalities, fromMillis, toMillis, topK);
  }

  /** This request restricted to {@code only}. */
  public SearchRequest withModalities(Set<Modality> only) {
    return new SearchRequest(query, videoIds, only, fromMillis, toMillis, topK);
  }
}
