package dev.longshot.retrieval.index;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The evidence index as retrieval, app and web see it, whatever holds it ({@code index.backend}): the embedded
 * Lucene index on the local disk ({@link LuceneEvidenceIndex}, the default) or a SolrCloud collection (module
 * {@code index-solr}). Every backend stores the same documents ({@link IndexSchema}: segment, window and video
 * marker documents with numeric times and dense vectors) and answers with the same hybrid search: BM25 and kNN
 * lists over segments and over the segments of the best windows, fused with reciprocal rank fusion, filtered by
 * video, time and modality, merged into spans. The abstract {@code EvidenceIndexContract} test holds every backend
 * to that.
 *
 * <p>A video is written as one unit: readers see its old documents or its new ones, never a mix, and a failed
 * write leaves whole videos only. Implementations are thread-safe. The caller owns the {@link TextEmbedder} (it is
 * not closed here) and closes the index.
 */
public interface EvidenceIndex extends AutoCloseable {
  /** Windows the coarse pass of the hybrid search keeps; their segments form two more ranked lists. */
  int TOP_WINDOWS = 5;
  /** Window parts the coarse pass's vector list fetches per window it wants (late interaction, issue 20). */
  int PARTS_PROBED_PER_WINDOW = 8;
  /** How many videos sharing one file name {@link #findVideo} reads. */
  int NAMED_VIDEOS_READ = 100;

  /** Replaces all documents of {@code manifest.videoId()} with {@code segments} (plus windows and the marker), as one unit. */
  void replaceVideo(VideoManifest manifest, List<Segment> segments);

  /** Deletes a video's documents as one unit; false when it was not indexed. */
  boolean deleteVideo(String videoId);

  /** True when the video is indexed and was indexed from a record with {@code settingsFingerprint}. */
  default boolean contains(String videoId, String settingsFingerprint) {
    return marker(videoId).map(m -> Objects.equals(m.settingsFingerprint(), settingsFingerprint)).orElse(false);
  }

  /**
   * Resolves a video id or the file name it was ingested under (e.g. {@code lecture.mp4}) to an indexed video id;
   * empty when neither is indexed. When several videos share the file name, the smallest id wins (of the first
   * {@value #NAMED_VIDEOS_READ} found).
   */
  default Optional<String> findVideo(String idOrFileName) {
    if (idOrFileName == null || idOrFileName.isBlank()) {
      return Optional.empty();
    }
    if (marker(idOrFileName).isPresent()) {
      return Optional.of(idOrFileName);
    }
    return videosNamed(idOrFileName).stream().min(Comparator.naturalOrder());
  }

  /**
   * The marker of a video as the index's readers see it now; empty when the video is not indexed or {@code videoId}
   * is not a valid video id (then nothing is asked of the backend). The one marker lookup a backend implements.
   */
  Optional<VideoMarker> marker(String videoId);

  /** Ids of indexed videos ingested under the file name {@code fileName}, at most {@value #NAMED_VIDEOS_READ}, any order. */
  Collection<String> videosNamed(String fileName);

  /** Indexed video ids, sorted. */
  List<String> videoIds();

  /** Number of segment documents of a video (0 when absent). */
  int segmentCount(String videoId);

  /** Hybrid BM25 + kNN search with filters; hits best first, adjacent segments merged into spans. */
  default List<SearchHit> search(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    return searchWithVector(request, embedder().embedQuery(request.query().isBlank() ? " " : request.query()));
  }

  /** {@link #search} with a precomputed query embedding (benchmarks separate embedding from search time). */
  List<SearchHit> searchWithVector(SearchRequest request, float[] queryVector);

  /** Makes writes of other processes (or machines) visible now rather than after the backend's refresh delay. */
  void refresh();

  /** The embedder this index was opened with. */
  TextEmbedder embedder();

  /** The retrieval settings this index searches with. */
  RetrievalSettings settings();

  /** Where the index is, for messages: a directory, or a collection and its cluster address. */
  String location();

  /**
   * True when other machines write to this index too (a cluster): then documents of a video this machine has no
   * record of belong to someone else and must be left alone.
   */
  boolean shared();

  @Override
  void close();
}
