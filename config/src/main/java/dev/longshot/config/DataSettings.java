package dev.longshot.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where Longshot keeps everything it writes. One directory holds the index, the ingest records (with their
 * keyframes), uploads and job state, so two instances (or a test) run side by side by pointing at two
 * directories. Key {@code data.dir}; environment variable {@code LONGSHOT_DATA_DIR}.
 *
 * @param dir the data directory; created on first use
 */
public record DataSettings(Path dir) {
  public DataSettings {
    Objects.requireNonNull(dir, "data.dir");
    dir = dir.toAbsolutePath().normalize();
  }

  /** The Lucene index. */
  public Path indexDir() {
    return dir.resolve("index");
  }

  /** One sub-directory per ingested video (manifest, segments, keyframes). */
  public Path recordsDir() {
    return dir.resolve("records");
  }

  /** Uploaded videos, stored under their content id. */
  public Path uploadsDir() {
    return dir.resolve("uploads");
  }

  /** Persisted ingest job state. */
  public Path jobsDir() {
    return dir.resolve("jobs");
  }

  /** The command line's log: what the libraries print (logging, native stderr) unless {@code --verbose}. */
  public Path logFile() {
    return dir.resolve("logs").resolve("longshot.log");
  }
}
