package dev.longshot.retrieval.index;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Writes one video per commit. The writer is opened per write with commit-on-close off, so an exception (or a
 * killed process) before {@link IndexWriter#commit()} leaves the last commit, which never holds part of a video.
 * Merges triggered by the commit run to completion before the writer closes (and are committed on their own).
 */
final class IndexWrites {
  private static final long LOCK_POLL_MILLIS = 100;
  private final Path dir;
  private final Directory directory;
  private final Analyzer analyzer;
  private final TextEmbedder embedder;
  private final WindowBuilder windows;
  private final WindowParts parts; // null: one pooled vector per window
  private final Object lock = new Object();
  private final long lockWaitMillis;

  IndexWrites(Path dir, Directory directory, Analyzer analyzer, TextEmbedder embedder, RetrievalSettings settings,
      long lockWaitMillis) {
    this.lockWaitMillis = lockWaitMillis;
    this.dir = dir;
    this.directory = directory;
    this.analyzer = analyzer;
    this.embedder = embedder;
    this.windows = new WindowBuilder(Math.round(settings.windowSeconds() * 1000));
    this.parts = settings.windowPartWords() > 0 ? new WindowParts(settings.windowPartWords()) : null;
  }

  void replace(VideoManifest manifest, List<Segment> segments) {
    String id = manifest.videoId();
    List<Segment> kept = segments.stream().filter(s -> !s.text().isBlank()).toList();
    List<Window> ws = windows.build(kept);
    List<float[]> segVectors = embed(kept.stream().map(Segment::text).toList());
    List<float[]> winVectors = embed(ws.stream().map(Window::text).toList());
    List<Document> docs = new ArrayList<>(kept.size() + ws.size() + 1);
    for (int i = 0; i < kept.size(); i++) {
      docs.add(IndexSchema.segment(id, kept.get(i), segVectors.get(i)));
    }
    for (int i = 0; i < ws.size(); i++) {
      docs.add(IndexSchema.window(id, ws.get(i), winVectors.get(i)));
    }
    docs.addAll(partDocuments(id, ws, winVectors));
    docs.add(IndexSchema.video(id, manifest.fileName(), manifest.settingsFingerprint(), kept.size(), ws.size()));
    commit(id, docs);
  }

  /**
   * One document per window part. A window that is one part reuses the window's vector (same text); the parts of
   * all longer windows are embedded in one call (the embedder batches them).
   */
  private List<Document> partDocuments(String videoId, List<Window> ws, List<float[]> winVectors) {
    if (parts == null) {
      return List.of();
    }
    List<Document> out = new ArrayList<>();
    List<Window> owners = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < ws.size(); i++) {
      List<String> split = parts.split(ws.get(i).text());
      if (split.size() == 1) {
        out.add(IndexSchema.windowPart(videoId, ws.get(i), winVectors.get(i)));
        continue;
      }
      for (String part : split) {
        owners.add(ws.get(i));
        texts.add(part);
      }
    }
    List<float[]> vectors = embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      out.add(IndexSchema.windowPart(videoId, owners.get(i), vectors.get(i)));
    }
    return out;
  }

  void delete(String videoId) {
    commit(VideoId.require(videoId), List.of());
  }

  private List<float[]> embed(List<String> texts) {
    return EmbedderChecks.passageVectors(embedder, texts);
  }

  private void commit(String videoId, List<Document> docs) {
    synchronized (lock) {
      try (IndexWriter w = openWriter()) {
        w.deleteDocuments(new Term(IndexSchema.VIDEO, videoId));
        if (!docs.isEmpty()) {
          w.addDocuments(docs);
        }
        w.setLiveCommitData(IndexSchema.userData(embedder.name(), embedder.dimension()).entrySet());
        w.commit();
        // Each commit flushes a small segment and closing the writer would abort merges it started, so run them
        // here (serial scheduler: in this thread) and commit their result (same documents: readers see no change), or segments pile up and every
        // kNN query walks one HNSW graph per video.
        w.maybeMerge();
        w.commit();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write video " + videoId + " to index " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private IndexWriter openWriter() throws IOException {
    long deadline = System.nanoTime() + lockWaitMillis * 1_000_000;
    while (true) {
      try {
        return new IndexWriter(directory, new IndexWriterConfig(analyzer).setMergeScheduler(new SerialMergeScheduler())
            .setOpenMode(IndexWriterConfig.OpenMode.APPEND).setCommitOnClose(false).setRAMBufferSizeMB(64));
      } catch (LockObtainFailedException e) {
        if (System.nanoTime() >= deadline) {
          throw new IndexLockedException("Index " + dir + " is locked by another writer (write.lock held for over "
              + lockWaitMillis + " ms); wait for the other ingest to finish and retry", e);
        }
        sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(LOCK_POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the index write lock", e);
    }
  }
}
