package dev.longshot.web.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.timeline.Durable;
import dev.longshot.timeline.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job files in one directory, one {@code <id>.json} per job, written atomically and durably ({@link Durable}:
 * forced temp file, rename, forced directory), so a crash leaves either the old or the new state. Thread-safe for distinct jobs; the runner serialises writes of
 * one job.
 */
public final class JobStore {
  private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
  private final Path dir;
  private final ObjectMapper mapper = Json.mapper();

  public JobStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the jobs directory " + this.dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public void save(IngestJob job) {
    Path target = dir.resolve(job.id() + ".json");
    try {
      Durable.writeAtomically(target, mapper.writeValueAsBytes(job));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write job state " + target, e);
    }
  }

  /** Every readable job; a file that cannot be parsed is logged with its path and skipped, never deleted. */
  public List<IngestJob> loadAll() {
    List<IngestJob> jobs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          jobs.add(mapper.readValue(f.toFile(), IngestJob.class));
        } catch (IOException | RuntimeException e) {
          LOG.warn("Skipping unreadable job file {}: {}", f, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the jobs directory " + dir, e);
    }
    return jobs;
  }
}
