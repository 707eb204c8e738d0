package dev.longshot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Longshot process per data directory: an OS lock on {@code <data>/longshot.lock}, which holds the owner's
 * pid. A second process (a second server, or a CLI ingest next to a running server) fails at start with a message
 * naming the holder, instead of two writers racing on the same records and index. The OS drops the lock when the
 * process dies, even by {@code kill -9}, so a stale file never blocks a restart. Closing releases it.
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE = "longshot.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws IllegalStateException when another process (or another open instance here) holds the directory */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        ch.close();
        throw new IllegalStateException("The data directory " + dataDir + " is in use by another Longshot process ("
            + (holder.isEmpty() ? "pid unknown" : "pid " + holder) + ", lock file " + file + "); stop that process "
            + "first, or set data.dir (LONGSHOT_DATA_DIR) to another directory");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new DataDirLock(ch, lock);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("Cannot lock the data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }
}
