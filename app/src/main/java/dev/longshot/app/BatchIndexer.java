package dev.longshot.app;

import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.ingest.media.MediaFormats;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Ingests and indexes every video under a folder, {@code parallelism} files at a time. Each file is independent:
 * a failure is counted with its reason and the run goes on. Re-running after an interruption is cheap, because
 * files already ingested with the same settings are skipped as unchanged (identity is content, not path).
 */
public final class BatchIndexer {
  private final Longshot longshot;
  private final int parallelism;

  public BatchIndexer(Longshot longshot, int parallelism) {
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be 1..64, got " + parallelism);
    }
    this.longshot = longshot;
    this.parallelism = parallelism;
  }

  /** Media files ({@link MediaFormats#isMediaName}) under {@code dir}, recursively, sorted by path; hidden directories are skipped. */
  public static List<Path> findMedia(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir.toAbsolutePath());
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !hidden(dir, p))
          .filter(p -> MediaFormats.isMediaName(p.getFileName().toString()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean hidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the batch.
   *
   * @param progress overall progress (fraction over all files; message "k/n files")
   * @param onItem called as each file finishes, from worker threads
   */
  public BatchSummary run(Path dir, ProgressListener progress, Consumer<BatchSummary.Item> onItem) throws InterruptedException {
    return run(findMedia(dir), progress, onItem);
  }

  /** Runs the batch over {@code files} (for example one {@link BatchPart} of {@link #findMedia}). */
  public BatchSummary run(List<Path> files, ProgressListener progress, Consumer<BatchSummary.Item> onItem) throws InterruptedException {
    int total = files.size();
    ConcurrentHashMap<Path, Double> fractions = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    Runnable report = () -> {
      double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
      double f = total == 0 ? 1 : sum / total;
      long finished = fractions.values().stream().filter(v -> v >= 1).count();
      Duration eta = f <= 0.01 ? null : Duration.ofNanos((long) ((System.nanoTime() - started) * (1 - f) / f));
      progress.onProgress(new Progress("index", f, eta, finished + "/" + total + " files"));
    };
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "longshot-batch");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<BatchSummary.Item>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> {
          BatchSummary.Item item = ingestOne(file, p -> {
            fractions.put(file, Math.min(0.999, p.fraction()));
            report.run();
          });
          fractions.put(file, 1.0);
          report.run();
          onItem.accept(item);
          return item;
        }));
      }
      List<BatchSummary.Item> items = new ArrayList<>();
      for (Future<BatchSummary.Item> f : futures) {
        try {
          items.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("Batch worker crashed: " + e.getCause(), e.getCause());
        }
      }
      report.run();
      return new BatchSummary(items);
    } finally {
      pool.shutdownNow();
    }
  }

  private BatchSummary.Item ingestOne(Path file, ProgressListener progress) {
    try {
      IngestResult outcome = longshot.ingest(file, progress);
      return new BatchSummary.Item(file, outcome.unchanged() ? BatchSummary.Status.UNCHANGED : BatchSummary.Status.DONE,
          outcome.manifest().videoId(), "");
    } catch (IngestException e) {
      return new BatchSummary.Item(file, BatchSummary.Status.FAILED, null, e.getMessage());
    } catch (RuntimeException e) {
      return new BatchSummary.Item(file, BatchSummary.Status.FAILED, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
