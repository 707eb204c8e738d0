package dev.longshot.web.jobs;

import dev.longshot.app.LongshotService;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.timeline.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ingest jobs on {@code workers} threads. At most {@code workers + queueLimit} jobs are in flight; one more
 * is refused with {@link QueueFullException}. Every state change is saved through {@link JobStore} (progress at
 * most once a second per job). {@link #recover()} re-queues the jobs a previous run left queued or running when
 * their file still exists and marks the others failed with the reason. Thread-safe; {@link #close()} stops the
 * workers and leaves unfinished jobs in their saved state for the next start.
 */
public final class IngestJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJobRunner.class);
  private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);

  private final LongshotService service;
  private final JobStore store;
  private final int capacity;
  private final Clock clock;
  private final ExecutorService executor;
  private final Map<String, IngestJob> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  public IngestJobRunner(LongshotService service, JobStore store, int workers, int queueLimit, Clock clock) {
    if (workers < 1 || queueLimit < 0) {
      throw new IllegalArgumentException("Need workers >= 1 and queueLimit >= 0, got " + workers + " and " + queueLimit);
    }
    this.service = service;
    this.store = store;
    this.capacity = workers + queueLimit;
    this.clock = clock;
    AtomicInteger threadNo = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "ingest-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads saved jobs; re-queues interrupted ones whose file still exists, fails the rest with the reason. */
  public void recover() {
    for (IngestJob job : store.loadAll()) {
      if (job.state().isFinal()) {
        jobs.put(job.id(), job);
      } else if (Files.isRegularFile(Path.of(job.path()))) {
        IngestJob again = job.requeued("resumed after a restart", clock.instant());
        update(again, true);
        inFlight.incrementAndGet();
        executor.execute(() -> run(job.id()));
        LOG.info("Re-queued ingest job {} for {}", job.id(), job.path());
      } else {
        String detail = "Interrupted by a restart, and the file " + job.path() + " no longer exists; upload it or ingest it again";
        update(job.failed(new JobError("INTERRUPTED", 410, detail), clock.instant()), true);
        LOG.warn("Ingest job {}: {}", job.id(), detail);
      }
    }
  }

  /** Accepts a job for {@code path}; {@code replaceVideoId} (or null) names a record to drop first (re-ingest). */
  public IngestJob submit(String source, Path path, String fileName, String replaceVideoId) throws QueueFullException {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      throw new QueueFullException("The ingest queue is full (" + capacity + " jobs queued or running); try again when some have finished");
    }
    IngestJob job = IngestJob.queued(UUID.randomUUID().toString(), source, path.toString(), fileName, replaceVideoId, clock.instant());
    update(job, true);
    executor.execute(() -> run(job.id()));
    return job;
  }

  public Optional<IngestJob> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** All known jobs, newest first. */
  public List<IngestJob> jobs() {
    return jobs.values().stream().sorted(Comparator.comparing(IngestJob::createdAt).reversed()).toList();
  }

  private void run(String id) {
    IngestJob job = jobs.get(id);
    try {
      if (closing) {
        return;
      }
      update(job.running("starting", 0, null, "starting", clock.instant()), true);
      Path path = Path.of(job.path());
      if (job.replaceVideoId() != null && Files.isRegularFile(path)) {
        service.delete(job.replaceVideoId());
      }
      ProgressSaver saver = new ProgressSaver(id);
      IngestResult result = service.ingest(path, saver::onProgress);
      update(jobs.get(id).succeeded(result.manifest().videoId(), result.unchanged(), clock.instant()), true);
    } catch (IngestException e) {
      if (closing) {
        LOG.info("Ingest job {} stopped by shutdown; it resumes on the next start", id);
        return;
      }
      fail(id, JobError.of(e));
    } catch (RuntimeException e) {
      if (closing) {
        LOG.info("Ingest job {} stopped by shutdown; it resumes on the next start", id);
        return;
      }
      LOG.warn("Ingest job {} failed", id, e);
      fail(id, new JobError("FAILED", 500, "Ingest of " + job.fileName() + " failed: " + e));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void fail(String id, JobError error) {
    IngestJob job = jobs.get(id);
    update(job.failed(error, clock.instant()), true);
    if ("upload".equals(job.source())) {
      deleteUpload(Path.of(job.path()));
    }
  }

  /** A rejected upload is removed, so the data directory keeps only videos that were ingested. */
  private void deleteUpload(Path file) {
    try {
      Files.deleteIfExists(file);
      Path parent = file.getParent();
      if (parent != null && parent.startsWith(service.uploadsDir()) && !parent.equals(service.uploadsDir())) {
        Files.deleteIfExists(parent);
      }
    } catch (java.io.IOException e) {
      LOG.warn("Could not remove rejected upload {}: {}", file, e.getMessage());
    }
  }

  private void update(IngestJob job, boolean persist) {
    jobs.put(job.id(), job);
    if (persist) {
      store.save(job);
    }
  }

  @Override
  public void close() {
    closing = true;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Turns progress callbacks into job updates, saving on a stage change or at most once a second. */
  private final class ProgressSaver {
    private final String id;
    private String lastStage = "";
    private Instant lastSave = Instant.EPOCH;

    ProgressSaver(String id) {
      this.id = id;
    }

    synchronized void onProgress(Progress p) {
      Instant now = clock.instant();
      Long eta = p.eta() == null ? null : p.eta().toSeconds();
      IngestJob next = jobs.get(id).running(p.stage(), p.percent(), eta, p.message(), now);
      boolean persist = !p.stage().equals(lastStage) || Duration.between(lastSave, now).compareTo(SAVE_INTERVAL) >= 0;
      update(next, persist);
      if (persist) {
        lastStage = p.stage();
        lastSave = now;
      }
    }
  }
}
