package dev.longshot.timeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that survive a crash or power loss: a file is forced to disk before a rename publishes it, and the
 * directory is forced after the rename, so the new name itself is on disk. Used by every store in the data
 * directory (records, jobs, media locations, uploads) and by the cache of extracted bundled models.
 */
public final class Durable {
  private Durable() {}

  /** Forces a file's (or, on Linux, a directory's) content and metadata to disk. */
  public static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(path)) {
        throw e; // some file systems cannot open a directory for fsync; a file must always be forced
      }
    }
  }

  /** Writes {@code bytes} to {@code target} through a forced temp file, an atomic rename and a forced directory. */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    forceAndPublish(tmp, target);
  }

  /**
   * Forces {@code tmp}, a file the caller has written (under a name of its own when several processes may write
   * {@code target} at once), to disk, then {@linkplain #publish publishes} it as {@code target}.
   */
  public static void forceAndPublish(Path tmp, Path target) throws IOException {
    fsync(tmp);
    publish(tmp, target);
  }

  /** Renames {@code from} to {@code to} atomically (replacing it) and forces the directory of {@code to}. */
  public static void publish(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The data directory must allow atomic renames: " + from + " -> " + to, e);
    }
    fsync(to.toAbsolutePath().getParent());
  }
}
