package dev.longshot.index.solr;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.retrieval.index.EmbedderChecks;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.config.SolrSettings;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.IndexSchema;
import dev.longshot.retrieval.index.LexicalQueries;
import dev.longshot.retrieval.index.VideoMarker;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * The evidence index on a SolrCloud collection ({@code index.backend: solrcloud}): the documents of {@link
 * IndexSchema} plus {@code id} and {@code generation}, written a video at a time ({@link SolrWrites}: whole videos
 * only, idempotent retries) and searched like the embedded index ({@link SolrHybridSearch}). Opening connects
 * (bounded retries, then a one-line error naming the address), creates the configset and collection when missing,
 * and checks that an existing collection's vector dimension and embedder are this embedder's.
 *
 * <p>Shared: every machine pointed at the collection reads and writes it; a write is visible to all after its
 * soft commit. Thread-safe. The caller owns the {@link TextEmbedder}; {@link #close()} closes the SolrJ client.
 */
public final class SolrEvidenceIndex implements EvidenceIndex {
  private static final int PAGE = 1000;
  private final SolrConnection conn;
  private final TextEmbedder embedder;
  private final RetrievalSettings settings;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final SolrWrites writes;
  private final SolrHybridSearch hybrid;

  private SolrEvidenceIndex(SolrConnection conn, TextEmbedder embedder, RetrievalSettings settings) {
    this.conn = conn;
    this.embedder = embedder;
    this.settings = settings;
    this.writes = new SolrWrites(conn, embedder, settings);
    this.hybrid = new SolrHybridSearch(conn, settings, new LexicalQueries(analyzer), pool);
  }

  /**
   * Connects to the cluster of {@code solr} and opens (creating when missing) its collection.
   *
   * @throws SolrIndexException unreachable cluster, a collection of another dimension or embedder, or one Longshot
   *     did not create; the message names the address
   */
  public static SolrEvidenceIndex open(SolrSettings solr, TextEmbedder embedder, RetrievalSettings settings) {
    return open(solr, embedder, settings, SolrConnection.Retry.DEFAULT);
  }

  /** {@link #open(SolrSettings, TextEmbedder, RetrievalSettings)} with another retry policy (tests). */
  static SolrEvidenceIndex open(SolrSettings solr, TextEmbedder embedder, RetrievalSettings settings, SolrConnection.Retry retry) {
    Objects.requireNonNull(solr, "solr");
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(settings, "settings");
    SolrConnection conn = SolrConnection.open(solr, retry);
    try {
      SolrCollectionSetup.ensure(conn, solr, embedder);
      SolrEvidenceIndex index = new SolrEvidenceIndex(conn, embedder, settings);
      index.checkEmbedder();
      return index;
    } catch (RuntimeException e) {
      try {
        conn.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void checkEmbedder() {
    ModifiableSolrParams p = markers();
    p.set("rows", 1);
    p.set("fl", SolrWrites.EMBEDDER);
    SolrDocumentList any = conn.query("read a video marker", p).getResults();
    if (!any.isEmpty() && !embedder.name().equals(any.getFirst().getFieldValue(SolrWrites.EMBEDDER))) {
      throw new SolrIndexException("SolrCloud collection " + conn.collection() + " at " + conn.address()
          + " was built with embedder " + any.getFirst().getFieldValue(SolrWrites.EMBEDDER) + ", this Longshot uses "
          + embedder.name() + "; use that embedder, or another index.solr.collection", null);
    }
  }

  @Override
  public void replaceVideo(VideoManifest manifest, List<Segment> segments) {
    writes.replace(manifest, segments);
  }

  @Override
  public boolean deleteVideo(String videoId) {
    VideoId.require(videoId);
    if (markerDocument(videoId).isEmpty()) {
      return false;
    }
    writes.delete(videoId);
    return true;
  }

  @Override
  public Optional<VideoMarker> marker(String videoId) {
    return markerDocument(videoId).map(d -> new VideoMarker(videoId, (String) d.getFieldValue(IndexSchema.FINGERPRINT)));
  }

  @Override
  public List<String> videosNamed(String fileName) {
    ModifiableSolrParams p = markers();
    p.add("fq", "{!term f=" + IndexSchema.FILE_NAME + " v=$fileName}");
    p.set("fileName", fileName);
    p.set("rows", NAMED_VIDEOS_READ);
    p.set("fl", IndexSchema.VIDEO);
    List<String> ids = new ArrayList<>();
    conn.query("find video " + fileName, p).getResults().forEach(d -> ids.add((String) d.getFieldValue(IndexSchema.VIDEO)));
    return ids;
  }

  @Override
  public List<String> videoIds() {
    List<String> ids = new ArrayList<>();
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      ModifiableSolrParams p = markers();
      p.set("rows", PAGE);
      p.set("fl", IndexSchema.VIDEO);
      p.set("sort", SolrWrites.ID + " asc");
      p.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse r = conn.query("list videos", p);
      r.getResults().forEach(d -> ids.add((String) d.getFieldValue(IndexSchema.VIDEO)));
      if (r.getNextCursorMark() == null || r.getNextCursorMark().equals(cursor)) {
        break;
      }
      cursor = r.getNextCursorMark();
    }
    return new ArrayList<>(new TreeSet<>(ids));
  }

  @Override
  public int segmentCount(String videoId) {
    Optional<SolrDocument> m = markerDocument(videoId);
    if (m.isEmpty()) {
      return 0;
    }
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.add("fq", IndexSchema.TYPE + ":" + IndexSchema.TYPE_SEGMENT);
    p.add("fq", IndexSchema.VIDEO + ":" + videoId);
    p.add("fq", "{!term f=" + SolrWrites.GENERATION + " v=$generation}");
    p.set("generation", (String) m.get().getFieldValue(SolrWrites.GENERATION));
    p.set("rows", 0);
    return (int) conn.query("count segments of " + videoId, p).getResults().getNumFound();
  }

  @Override
  public List<SearchHit> searchWithVector(SearchRequest request, float[] queryVector) {
    Objects.requireNonNull(request, "request");
    EmbedderChecks.checkQueryVector(queryVector, embedder);
    return hybrid.search(request, queryVector);
  }

  /** Nothing to do: a write is visible to every reader after its writer's soft commit. */
  @Override
  public void refresh() {}

  @Override
  public TextEmbedder embedder() {
    return embedder;
  }

  @Override
  public RetrievalSettings settings() {
    return settings;
  }

  @Override
  public String location() {
    return "SolrCloud collection " + conn.collection() + " at " + conn.address();
  }

  @Override
  public boolean shared() {
    return true;
  }

  /** HTTP round trips to the cluster so far (the benchmark reports them per question). */
  public long requests() {
    return conn.requests();
  }

  private Optional<SolrDocument> markerDocument(String videoId) {
    if (!VideoId.isValid(videoId)) {
      return Optional.empty();
    }
    ModifiableSolrParams p = markers();
    p.add("fq", IndexSchema.VIDEO + ":" + videoId);
    p.set("rows", 1);
    SolrDocumentList found = conn.query("read video " + videoId, p).getResults();
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  private static ModifiableSolrParams markers() {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.add("fq", IndexSchema.TYPE + ":" + IndexSchema.TYPE_VIDEO);
    return p;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    analyzer.close();
    conn.close();
  }
}
