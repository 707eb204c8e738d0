package dev.longshot.retrieval.index;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.retrieval.search.SearchHit;
import dev.longshot.retrieval.search.SearchRequest;
import dev.longshot.timeline.Closeables;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded evidence index: Lucene on the local disk (layout in {@link IndexSchema}); the default backend
 * ({@code index.backend: lucene}). Opening never holds the write lock: any number of
 * processes can search one index while one of them writes; each write takes the lock for one commit (waiting up
 * to {@value #LOCK_WAIT_MILLIS} ms for another writer, then failing with {@link IndexLockedException}). Searches
 * see new commits (from this or another process) within {@value #REFRESH_MILLIS} ms, without restart.
 *
 * <p>Thread-safe. The caller owns the {@link TextEmbedder} (it is not closed here) and closes this index.
 */
public final class LuceneEvidenceIndex implements EvidenceIndex {
  static final long REFRESH_MILLIS = 500;
  static final long LOCK_WAIT_MILLIS = 60_000;
  private final Path dir;
  private final Directory directory;
  private final TextEmbedder embedder;
  private final RetrievalSettings settings;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final SearcherManager searchers;
  private final IndexWrites writes;
  private final HybridSearch hybrid;
  private volatile long lastRefreshNanos = System.nanoTime();

  private LuceneEvidenceIndex(Path dir, Directory directory, TextEmbedder embedder, RetrievalSettings settings,
      long lockWaitMillis) throws IOException {
    this.dir = dir;
    this.directory = directory;
    this.embedder = embedder;
    this.settings = settings;
    this.searchers = new SearcherManager(directory, null);
    this.writes = new IndexWrites(dir, directory, analyzer, embedder, settings, lockWaitMillis);
    this.hybrid = new HybridSearch(new LexicalQueries(analyzer), settings);
  }

  /**
   * Opens the index in {@code indexDir}, creating it when the directory is absent or empty. A directory that
   * holds something else, a corrupt index, or one built with a different embedder fails with an {@link
   * IndexException} naming the directory; nothing on disk is changed then.
   */
  public static LuceneEvidenceIndex open(Path indexDir, TextEmbedder embedder, RetrievalSettings settings) {
    return open(indexDir, embedder, settings, LOCK_WAIT_MILLIS);
  }

  /** {@link #open(Path, TextEmbedder, RetrievalSettings)} with a different write-lock wait (tests). */
  static LuceneEvidenceIndex open(Path indexDir, TextEmbedder embedder, RetrievalSettings settings, long lockWaitMillis) {
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(settings, "settings");
    Path dir = indexDir.toAbsolutePath().normalize();
    IndexFiles.createIfAbsent(dir, embedder);
    return openExisting(dir, embedder, settings, lockWaitMillis);
  }

  /**
   * Opens an index that must already exist (for read-mostly tools such as the evaluation harness); a missing
   * directory or one without an index is an {@link IndexException}.
   */
  public static LuceneEvidenceIndex openExisting(Path indexDir, TextEmbedder embedder, RetrievalSettings settings) {
    return openExisting(indexDir, embedder, settings, LOCK_WAIT_MILLIS);
  }

  private static LuceneEvidenceIndex openExisting(Path indexDir, TextEmbedder embedder, RetrievalSettings settings,
      long lockWaitMillis) {
    Path dir = indexDir.toAbsolutePath().normalize();
    IndexFiles.requireIndex(dir);
    Directory directory = null;
    try {
      directory = FSDirectory.open(dir);
      IndexFiles.checkReadable(dir, directory, embedder);
      return new LuceneEvidenceIndex(dir, directory, embedder, settings, lockWaitMillis);
    } catch (IOException | RuntimeException e) {
      Closeables.closeQuietly(directory); // already failing with a better message
      throw e instanceof IndexException ie ? ie : IndexFiles.unreadable(dir, e);
    }
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public boolean shared() {
    return false;
  }

  /** The index directory. */
  public Path directory() {
    return dir;
  }

  /**
   * Replaces all documents of {@code manifest.videoId()} with {@code segments} (plus window documents and the
   * video marker) in one commit: readers see the old video or the new one, never a mix, and a crash leaves the
   * old one. Embedding happens before the write lock is taken.
   */
  @Override
  public void replaceVideo(VideoManifest manifest, List<Segment> segments) {
    writes.replace(manifest, segments);
    refreshNow();
  }

  /** Deletes a video's documents in one commit; false when it was not indexed. */
  @Override
  public boolean deleteVideo(String videoId) {
    VideoId.require(videoId);
    if (markerDocument(videoId).isEmpty()) {
      return false;
    }
    writes.delete(videoId);
    refreshNow();
    return true;
  }

  @Override
  public Optional<VideoMarker> marker(String videoId) {
    return markerDocument(videoId).map(d -> new VideoMarker(videoId, d.get(IndexSchema.FINGERPRINT)));
  }

  @Override
  public List<String> videosNamed(String fileName) {
    return withSearcher(s -> {
      Query q = new BooleanQuery.Builder()
          .add(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_VIDEO)), Occur.FILTER)
          .add(new TermQuery(new Term(IndexSchema.FILE_NAME, fileName)), Occur.FILTER).build();
      List<String> ids = new ArrayList<>();
      for (ScoreDoc sd : s.search(q, NAMED_VIDEOS_READ).scoreDocs) {
        ids.add(s.storedFields().document(sd.doc).get(IndexSchema.VIDEO));
      }
      return ids;
    });
  }

  /** Indexed video ids, sorted. */
  @Override
  public List<String> videoIds() {
    return withSearcher(s -> {
      TreeSet<String> ids = new TreeSet<>();
      Query q = new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_VIDEO));
      for (ScoreDoc sd : s.search(q, Math.max(1, s.getIndexReader().maxDoc())).scoreDocs) {
        ids.add(s.storedFields().document(sd.doc).get(IndexSchema.VIDEO));
      }
      return new ArrayList<>(ids);
    });
  }

  /** Number of segment documents of a video (0 when absent). */
  @Override
  public int segmentCount(String videoId) {
    return withSearcher(s -> s.count(new BooleanQuery.Builder()
        .add(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_SEGMENT)), Occur.FILTER)
        .add(new TermQuery(new Term(IndexSchema.VIDEO, videoId)), Occur.FILTER).build()));
  }

  /** {@link #search} with a precomputed query embedding (benchmarks separate embedding from search time). */
  @Override
  public List<SearchHit> searchWithVector(SearchRequest request, float[] queryVector) {
    EmbedderChecks.checkQueryVector(queryVector, embedder);
    maybeRefresh();
    return withSearcher(s -> hybrid.search(s, request, queryVector));
  }

  /** Picks up commits made by other processes now, instead of within {@value #REFRESH_MILLIS} ms. */
  @Override
  public void refresh() {
    refreshNow();
  }

  /** The embedder this index was opened with. */
  @Override
  public TextEmbedder embedder() {
    return embedder;
  }

  /** The retrieval settings this index searches with. */
  @Override
  public RetrievalSettings settings() {
    return settings;
  }

  private Optional<Document> markerDocument(String videoId) {
    if (!VideoId.isValid(videoId)) {
      return Optional.empty();
    }
    maybeRefresh();
    return withSearcher(s -> {
      Query q = new BooleanQuery.Builder()
          .add(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_VIDEO)), Occur.FILTER)
          .add(new TermQuery(new Term(IndexSchema.VIDEO, videoId)), Occur.FILTER).build();
      ScoreDoc[] sd = s.search(q, 1).scoreDocs;
      return sd.length == 0 ? Optional.empty() : Optional.of(s.storedFields().document(sd[0].doc));
    });
  }

  private interface SearcherFunction<T> {
    T apply(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> f) {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return f.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Search in index " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private void maybeRefresh() {
    long now = System.nanoTime();
    if (now - lastRefreshNanos > REFRESH_MILLIS * 1_000_000) {
      lastRefreshNanos = now;
      try {
        searchers.maybeRefresh();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot refresh index " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private void refreshNow() {
    try {
      searchers.maybeRefreshBlocking();
      lastRefreshNanos = System.nanoTime();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot refresh index " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      searchers.close();
      directory.close();
      analyzer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close index " + dir, e);
    }
  }
}
