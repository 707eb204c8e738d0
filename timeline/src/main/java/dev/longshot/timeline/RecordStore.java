package dev.longshot.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of ingest records, one sub-directory per video id:
 *
 * <pre>
 * records/
 *   &lt;videoId&gt;/manifest.json     {@link VideoManifest}, written last
 *   &lt;videoId&gt;/segments.jsonl    one {@link Segment} per line, ordered by start time
 *   &lt;videoId&gt;/keyframes/*.jpg   keyframes named by timestamp, e.g. 000123450.jpg (milliseconds)
 *   .staging/                   records being written, each with a &lt;name&gt;.lock file its writer holds locked
 * </pre>
 *
 * A record appears atomically: it is written in {@code .staging/}, every file and directory of it forced to
 * disk, and renamed into place (the records directory is forced after the rename), so a crash never leaves a
 * half record that looks complete. Replacing a record (re-ingest) takes two renames, the old record aside to
 * {@code .staging/<id>-replaced-<uuid>} and the new one into place; a crash between them is repaired when the
 * store is next opened: the complete old copy is renamed back (issue 12). Opening a store removes other staging
 * leftovers of interrupted writes (an interrupted ingest restarts cleanly) but never the staging area of a live
 * writer: each writer holds an OS file lock until it commits or closes. Safe for concurrent readers; writers of
 * the same video id must be serialised by the caller, in this process with {@link #writerLock(String)}.
 */
public final class RecordStore {
  public static final String MANIFEST = "manifest.json";
  public static final String SEGMENTS = "segments.jsonl";
  public static final String KEYFRAMES = "keyframes";
  private static final String STAGING = ".staging";
  private static final String LOCK_SUFFIX = ".lock";
  private static final String REPLACED = "-replaced-";
  private static final Pattern KEYFRAME_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.jpg");

  private final Path root;
  private final ConcurrentHashMap<String, Lock> writerLocks = new ConcurrentHashMap<>();

  /** Opens (creating if needed) the records directory and removes leftovers of interrupted writes. */
  public RecordStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root.resolve(STAGING));
      removeAbandonedStaging(this.root.resolve(STAGING));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open records directory " + this.root + ": " + e.getMessage(), e);
    }
  }

  /**
   * The lock that serialises this store's writers of {@code videoId} in this process (another process is kept out
   * of a live writer's staging area by the OS file lock). Stores of other data directories have their own.
   */
  public Lock writerLock(String videoId) {
    return writerLocks.computeIfAbsent(videoId, id -> new ReentrantLock());
  }

  public Path root() {
    return root;
  }

  /** The manifest of a complete record, or empty when the video was never (fully) ingested. */
  public Optional<VideoManifest> manifest(String videoId) {
    Path file = dir(videoId).resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      VideoManifest m = Json.mapper().readValue(file.toFile(), VideoManifest.class);
      if (m.formatVersion() != VideoManifest.FORMAT_VERSION) {
        throw new RecordFormatException(file + " has record format " + m.formatVersion()
            + "; this Longshot reads format " + VideoManifest.FORMAT_VERSION + " (re-ingest the video)", null);
      }
      return Optional.of(m);
    } catch (IOException e) {
      throw new RecordFormatException("Corrupt manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** Manifests of all complete records, newest first. */
  public List<VideoManifest> list() {
    List<VideoManifest> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> VideoId.isValid(p.getFileName().toString()))) {
      for (Path d : dirs) {
        manifest(d.getFileName().toString()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(VideoManifest::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return out;
  }

  /** All segments of a complete record, in file order (by start time). */
  public List<Segment> segments(String videoId) {
    Path file = dir(videoId).resolve(SEGMENTS);
    List<Segment> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(Json.mapper().readValue(line, Segment.class));
        } catch (JsonProcessingException e) {
          throw new RecordFormatException("Corrupt segment at " + file + ":" + n + ": " + e.getOriginalMessage(), e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new RecordFormatException("Record " + videoId + " has no " + SEGMENTS, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** True when {@code name} could name a stored keyframe: 1 to 64 letters, digits, - and _, then {@code .jpg}. */
  public static boolean isKeyframeName(String name) {
    return name != null && KEYFRAME_NAME.matcher(name).matches();
  }

  /**
   * The path of a stored keyframe, or empty when absent. {@code name} must be a plain file name like {@code
   * 000123450.jpg}; anything with separators or dots in odd places is rejected, so callers can pass user input.
   */
  public Optional<Path> keyframe(String videoId, String name) {
    if (!VideoId.isValid(videoId) || !isKeyframeName(name)) {
      return Optional.empty();
    }
    Path p = dir(videoId).resolve(KEYFRAMES).resolve(name);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Deletes a record; returns false when there was none. */
  public boolean delete(String videoId) {
    Path d = dir(videoId);
    if (!Files.isDirectory(d)) {
      return false;
    }
    Path trash = root.resolve(STAGING).resolve(videoId + "-deleted-" + UUID.randomUUID());
    move(d, trash);
    try {
      Durable.fsync(root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot force " + root + " to disk: " + e.getMessage(), e);
    }
    deleteTree(trash);
    return true;
  }

  /** Starts writing a record for {@code videoId} in the staging area; nothing is visible until commit. */
  public Writer begin(String videoId) {
    VideoId.require(videoId);
    String name = videoId + "-" + UUID.randomUUID();
    Path staging = root.resolve(STAGING).resolve(name);
    Path lockFile = root.resolve(STAGING).resolve(name + LOCK_SUFFIX);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      Files.createDirectories(staging.resolve(KEYFRAMES));
      return new Writer(videoId, staging, lockFile, lock);
    } catch (IOException e) {
      Closeables.closeQuietly(channel);
      throw new UncheckedIOException("Cannot start record " + videoId + " in " + staging + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes staging entries nobody is writing: directories whose lock file can be locked (its writer died) or
   * that never had one (deleted or replaced records on their way out).
   */
  private static void removeAbandonedStaging(Path staging) throws IOException {
    List<Path> entries;
    try (Stream<Path> list = Files.list(staging)) {
      entries = list.filter(p -> !p.getFileName().toString().endsWith(LOCK_SUFFIX)).toList();
    }
    Path root = staging.getParent();
    for (Path dir : entries) {
      String name = dir.getFileName().toString();
      int replaced = name.indexOf(REPLACED);
      if (replaced > 0 && Files.isRegularFile(dir.resolve(MANIFEST))) {
        Path target = root.resolve(name.substring(0, replaced));
        if (!Files.exists(target)) {
          // a replace was cut off between its two renames: the old record is the complete copy, so it goes back
          Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
          Durable.fsync(root);
          continue;
        }
      }
      Path lockFile = dir.resolveSibling(dir.getFileName() + LOCK_SUFFIX);
      if (!Files.exists(lockFile)) {
        deleteTree(dir);
        continue;
      }
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
        if (lock != null) {
          deleteTree(dir);
          Files.deleteIfExists(lockFile);
        }
      } catch (OverlappingFileLockException | NoSuchFileException e) {
        // held by a writer in this JVM, or finished a moment ago: not ours to delete
      }
    }
  }

  /** Standard name of a keyframe taken at {@code millis}: nine zero-padded digits plus {@code .jpg}. */
  public static String keyframeName(long millis) {
    return String.format("%09d.jpg", millis);
  }

  Path dir(String videoId) {
    return root.resolve(VideoId.require(videoId));
  }

  /** Writes one record in the staging area. Not thread-safe. Close without commit to abandon it. */
  public final class Writer implements AutoCloseable {
    private final String videoId;
    private final Path staging;
    private final Path lockFile;
    private final FileLock lock;
    private boolean committed;
    private boolean closed;

    private Writer(String videoId, Path staging, Path lockFile, FileLock lock) {
      this.videoId = videoId;
      this.staging = staging;
      this.lockFile = lockFile;
      this.lock = lock;
    }

    /** Where keyframe JPEGs go, named with {@link #keyframeName(long)}. */
    public Path keyframesDir() {
      return staging.resolve(KEYFRAMES);
    }

    /** Writes the manifest last and renames the record into place, replacing any older record. */
    public void commit(List<Segment> segments, VideoManifest manifest) {
      if (!manifest.videoId().equals(videoId)) {
        throw new IllegalArgumentException("Manifest is for " + manifest.videoId() + ", writer for " + videoId);
      }
      try {
        Path seg = staging.resolve(SEGMENTS);
        try (BufferedWriter w = Files.newBufferedWriter(seg, StandardCharsets.UTF_8)) {
          for (Segment s : segments.stream().sorted(Comparator.comparingLong(Segment::startMillis)).toList()) {
            w.write(Json.mapper().writeValueAsString(s));
            w.write('\n');
          }
        }
        Path man = staging.resolve(MANIFEST);
        Files.write(man, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        fsyncTree(staging);
        Path target = dir(videoId);
        Path old = null;
        if (Files.exists(target)) {
          old = root.resolve(STAGING).resolve(videoId + REPLACED + UUID.randomUUID());
          move(target, old);
        }
        move(staging, target);
        Durable.fsync(root);
        Durable.fsync(root.resolve(STAGING));
        committed = true;
        if (old != null) {
          deleteTree(old);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write record " + videoId + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!committed) {
          deleteTree(staging);
        }
      } finally {
        Closeables.closeQuietly(lock.channel()); // closing releases the lock; nothing else to do
        try {
          Files.deleteIfExists(lockFile);
        } catch (IOException e) {
          // a stale lock file is harmless: the next store open removes it once it can lock it
        }
      }
    }
  }

  /** Forces every file, then every directory (deepest first) of a staged record to disk before it is published. */
  private static void fsyncTree(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Durable.fsync(p);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new UncheckedIOException("Records directory must be on one file system (atomic rename): " + from, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // deleted concurrently (another store removing the same leftovers)
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
