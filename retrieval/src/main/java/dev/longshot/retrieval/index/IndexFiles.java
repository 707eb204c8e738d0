package dev.longshot.retrieval.index;

import dev.longshot.capabilities.TextEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/** Checks on the index directory before it is opened: exists, is ours, is readable, matches the embedder. */
final class IndexFiles {
  private IndexFiles() {}

  /** Creates an empty index when {@code dir} does not exist or is an empty directory; otherwise does nothing. */
  static void createIfAbsent(Path dir, TextEmbedder embedder) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IndexException("Index path " + dir + " is a file, not a directory", null);
      }
      if (Files.isDirectory(dir) && !isEmpty(dir)) {
        return;
      }
      Files.createDirectories(dir);
      try (Directory d = FSDirectory.open(dir);
          IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
        w.setLiveCommitData(IndexSchema.userData(embedder.name(), embedder.dimension()).entrySet());
        w.commit();
      }
    } catch (LockObtainFailedException e) {
      throw new IndexLockedException("Index " + dir + " is being created by another process (write.lock held)", e);
    } catch (IOException e) {
      throw new IndexException("Cannot create index in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Fails unless {@code dir} holds a Lucene index. */
  static void requireIndex(Path dir) {
    if (!Files.exists(dir)) {
      throw new IndexException("No index at " + dir + " (the directory does not exist; index videos first: bin/longshot ingest)", null);
    }
    if (!Files.isDirectory(dir)) {
      throw new IndexException("Index path " + dir + " is a file, not a directory", null);
    }
    try (Directory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)) {
        throw new IndexException("Directory " + dir + " is not a Longshot index (no Lucene commit in it) and is left "
            + "untouched; point data.dir elsewhere or move it away", null);
      }
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
  }

  /** Reads the latest commit's user data and checks layout version and embedder. */
  static void checkReadable(Path dir, Directory directory, TextEmbedder embedder) throws IOException {
    Map<String, String> user = SegmentInfos.readLatestCommit(directory).getUserData();
    String version = user.get(IndexSchema.USER_VERSION);
    if (!Integer.toString(IndexSchema.VERSION).equals(version)) {
      throw new IndexException("Index " + dir + " has layout version " + version + "; this Longshot reads version "
          + IndexSchema.VERSION + ". Move the directory away and re-index (the ingest records are kept)", null);
    }
    String model = user.get(IndexSchema.USER_EMBEDDER);
    String dim = user.get(IndexSchema.USER_DIMENSION);
    if (!embedder.name().equals(model) || !Integer.toString(embedder.dimension()).equals(dim)) {
      throw new IndexException("Index " + dir + " was built with embedder " + model + " (" + dim + "-d) but the "
          + "configured embedder is " + embedder.name() + " (" + embedder.dimension() + "-d); use the same "
          + "embeddings settings or re-index into another directory", null);
    }
  }

  static IndexException unreadable(Path dir, Exception e) {
    String kind = e instanceof CorruptIndexException || e instanceof IndexFormatTooOldException
        || e instanceof IndexFormatTooNewException ? "corrupt or from another Lucene version" : "unreadable";
    return new IndexException("Index " + dir + " is " + kind + " (" + e.getClass().getSimpleName() + ": "
        + e.getMessage() + "). It was left untouched; move it away and re-index from the ingest records", e);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
