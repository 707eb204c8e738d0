package dev.longshot.web.jobs;

import dev.longshot.app.LongshotService;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ingest jobs on {@code workers} threads. At most {@code workers + queueLimit} jobs are in flight; one more
 * is refused with {@link QueueFullException}; a slot is released on every path (a failed save, a rejected
 * execution, any {@link Throwable} from the ingest). Every state change is saved through {@link JobStore}
 * (progress at most once a second per job). Any Throwable ends the job FAILED with its kind ({@code
 * INTERNAL_ERROR} for an {@link Error}), and a job that runs past its time limit ({@code server.job-timeout},
 * else {@link #defaultTimeout(Duration)} of the video's duration) is FAILED with kind {@code TIMEOUT} and its
 * worker interrupted. Error text shown through the API has no server paths ({@link ErrorText}); the log keeps the
 * detail. {@link #recover()} re-queues the jobs a previous run left queued or running when their file still
 * exists and marks the others failed with the reason. Thread-safe; {@link #close()} stops the workers and leaves
 * unfinished jobs in their saved state for the next start.
 */
public final class IngestJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJobRunner.class);
  private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);
  /** Without a duration (a probe failed), a job gets the base limit only. */
  static final Duration TIMEOUT_BASE = Duration.ofMinutes(30);
  static final int TIMEOUT_PER_MEDIA_SECOND = 10;

  private final LongshotService service;
  private final JobStore store;
  private final int capacity;
  private final Clock clock;
  private final Duration jobTimeout;
  private final ExecutorService executor;
  private final ScheduledExecutorService watchdog;
  private final Map<String, IngestJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, Thread> workers = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  /** A runner whose jobs are limited by {@link #defaultTimeout(Duration)} of their video's duration. */
  public IngestJobRunner(LongshotService service, JobStore store, int workers, int queueLimit, Clock clock) {
    this(service, store, workers, queueLimit, clock, null);
  }

  /** @param jobTimeout the limit of every job, or null to derive it from each video's duration */
  public IngestJobRunner(LongshotService service, JobStore store, int workers, int queueLimit, Clock clock,
      Duration jobTimeout) {
    if (workers < 1 || queueLimit < 0) {
      throw new IllegalArgumentException("Need workers >= 1 and queueLimit >= 0, got " + workers + " and " + queueLimit);
    }
    this.service = service;
    this.store = store;
    this.capacity = workers + queueLimit;
    this.clock = clock;
    this.jobTimeout = jobTimeout;
    AtomicInteger threadNo = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "ingest-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  /** The time limit of a job over a video of {@code duration}: 30 minutes plus ten times its length. */
  public static Duration defaultTimeout(Duration duration) {
    return duration == null ? TIMEOUT_BASE : TIMEOUT_BASE.plus(duration.multipliedBy(TIMEOUT_PER_MEDIA_SECOND));
  }

  /** Loads saved jobs; re-queues interrupted ones whose file still exists, fails the rest with the reason. */
  public void recover() {
    for (IngestJob job : store.loadAll()) {
      if (job.state().isFinal()) {
        jobs.put(job.id(), job);
      } else if (Files.isRegularFile(Path.of(job.path()))) {
        IngestJob again = job.requeued("resumed after a restart", clock.instant());
        inFlight.incrementAndGet();
        try {
          update(again, true);
          executor.execute(() -> run(job.id()));
        } catch (RuntimeException e) {
          inFlight.decrementAndGet();
          throw e;
        }
        LOG.info("Re-queued ingest job {} for {}", job.id(), job.path());
      } else {
        LOG.warn("Ingest job {}: interrupted by a restart and {} no longer exists", job.id(), job.path());
        String detail = "Interrupted by a restart, and the file " + job.fileName() + " no longer exists; upload it or ingest it again";
        update(job.failed(new JobError("INTERRUPTED", 410, detail), clock.instant()), true);
      }
    }
  }

  /**
   * Accepts a job for {@code path}; {@code replaceVideoId} (or null) names the video a re-ingest rebuilds beside
   * the old record, which keeps answering until the new one is swapped in.
   */
  public IngestJob submit(JobSource source, Path path, String fileName, String replaceVideoId) throws QueueFullException {
    return submit(source, path, fileName, replaceVideoId, false);
  }

  /** Like {@link #submit(JobSource, Path, String, String)}; {@code createdUpload}: the job may delete the file on failure. */
  public IngestJob submit(JobSource source, Path path, String fileName, String replaceVideoId, boolean createdUpload)
      throws QueueFullException {
    if (inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      throw new QueueFullException("The ingest queue is full (" + capacity + " jobs queued or running); try again when some have finished");
    }
    try {
      IngestJob job = IngestJob.queued(UUID.randomUUID().toString(), source, path.toString(), fileName, replaceVideoId,
          clock.instant()).withCreatedUpload(createdUpload);
      update(job, true);
      executor.execute(() -> run(job.id()));
      return job;
    } catch (RuntimeException | Error e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  public Optional<IngestJob> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** All known jobs, newest first. */
  public List<IngestJob> jobs() {
    return jobs.values().stream().sorted(Comparator.comparing(IngestJob::createdAt).reversed()).toList();
  }

  /** Jobs queued or running now; their slots are taken. */
  public int inFlight() {
    return inFlight.get();
  }

  private void run(String id) {
    IngestJob job = jobs.get(id);
    Path path = Path.of(job.path());
    ScheduledFuture<?> timer = null;
    try {
      if (closing) {
        return;
      }
      workers.put(id, Thread.currentThread());
      update(job.running("starting", 0, null, "starting", clock.instant()), true);
      Duration limit = jobTimeout != null ? jobTimeout : defaultTimeout(service.duration(path).orElse(null));
      timer = watchdog.schedule(() -> timeOut(id, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
      ProgressSaver saver = new ProgressSaver(id);
      IngestResult result = job.replaceVideoId() != null
          ? service.reingest(job.replaceVideoId(), path, saver::onProgress)
          : service.ingest(path, saver::onProgress);
      finish(id, current -> current.succeeded(result.manifest().videoId(), result.unchanged(), clock.instant()));
    } catch (IngestException e) {
      if (!stoppedByShutdown(id)) {
        LOG.warn("Ingest job {} of {} failed ({}): {}", id, path, e.kind(), e.getMessage(), e);
        JobError error = JobError.of(e);
        fail(id, new JobError(error.kind(), error.status(), ErrorText.withoutPaths(error.detail(), path)));
      }
    } catch (Throwable e) {
      if (!stoppedByShutdown(id)) {
        LOG.error("Ingest job {} of {} failed", id, path, e);
        String kind = e instanceof Error ? "INTERNAL_ERROR" : JobError.FAILED;
        fail(id, new JobError(kind, 500, "Ingest of " + job.fileName() + " failed: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + ErrorText.withoutPaths(e.getMessage(), path))));
      }
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      workers.remove(id);
      Thread.interrupted(); // a timeout's interrupt must not leak into the next job on this worker
      inFlight.decrementAndGet();
    }
  }

  private boolean stoppedByShutdown(String id) {
    if (closing) {
      LOG.info("Ingest job {} stopped by shutdown; it resumes on the next start", id);
    }
    return closing;
  }

  /** The watchdog's end of a job past its limit: FAILED with kind TIMEOUT, then its worker is interrupted. */
  private void timeOut(String id, Duration limit) {
    IngestJob job = jobs.get(id);
    if (job == null || job.state().isFinal() || closing) {
      return;
    }
    LOG.warn("Ingest job {} of {} ran past its limit of {}; stopping it", id, job.path(), limit);
    JobError error = new JobError("TIMEOUT", 504, "Ingest of " + job.fileName() + " took longer than its limit of "
        + limit.toSeconds() + " s (server.job-timeout)");
    // the upload stays until the worker has stopped: run() removes it then, if the job created it
    finish(id, current -> current.failed(error, clock.instant()));
    Thread worker = workers.get(id);
    if (worker != null) {
      worker.interrupt();
    }
  }

  /** Applies {@code change} unless the job already ended (a timeout decided first). */
  private synchronized void finish(String id, java.util.function.UnaryOperator<IngestJob> change) {
    IngestJob current = jobs.get(id);
    if (!current.state().isFinal()) {
      update(change.apply(current), true);
    }
  }

  private void fail(String id, JobError error) {
    try {
      finish(id, current -> current.failed(error, clock.instant()));
    } catch (RuntimeException e) {
      LOG.error("Could not save the failure of ingest job {}: {}", id, e.getMessage(), e);
    }
    IngestJob job = jobs.get(id);
    if (job.source() == JobSource.UPLOAD && job.createdUpload()) {
      deleteUpload(id, Path.of(job.path()));
    }
  }

  /**
   * Removes a rejected upload that this job itself stored, unless another job still works on the same file or
   * a video with its content is in the library: nothing an indexed video uses is ever deleted.
   */
  private void deleteUpload(String id, Path file) {
    boolean inUse = jobs.values().stream().anyMatch(j -> !j.id().equals(id) && !j.state().isFinal() && j.path().equals(file.toString()));
    Path parent = file.getParent();
    boolean indexed = parent != null && service.video(parent.getFileName().toString()).isPresent();
    if (inUse || indexed) {
      LOG.info("Keeping upload {}: {}", file, inUse ? "another job is ingesting it" : "an indexed video uses it");
      return;
    }
    try {
      Files.deleteIfExists(file);
      if (parent != null && parent.startsWith(service.uploadsDir()) && !parent.equals(service.uploadsDir())) {
        try (var left = Files.list(parent)) {
          if (left.findAny().isEmpty()) {
            Files.deleteIfExists(parent);
          }
        }
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
    watchdog.shutdownNow();
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
      IngestJob current = jobs.get(id);
      if (current.state().isFinal()) {
        throw new ProgressListener.Cancelled("job " + id + " already ended (" + current.error().kind() + ")");
      }
      IngestJob next = current.running(p.stage(), p.percent(), eta, ErrorText.withoutPaths(p.message(), null), now);
      boolean persist = !p.stage().equals(lastStage) || Duration.between(lastSave, now).compareTo(SAVE_INTERVAL) >= 0;
      update(next, persist);
      if (persist) {
        lastStage = p.stage();
        lastSave = now;
      }
    }
  }
}
