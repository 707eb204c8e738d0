package dev.longshot.vlm.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * A fixed set of worker threads for the kernels: {@code threads - 1} pool threads plus the caller.
 * One instance per loaded model; calls from several threads at once are safe but share the workers.
 * Close it to stop the workers.
 */
public final class Parallel implements AutoCloseable {
  /** Work on the half-open index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private final int threads;
  private final ForkJoinPool pool;

  public Parallel(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads must be 1..1024, got " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1);
  }

  public int threads() {
    return threads;
  }

  /** Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread, and waits for all. */
  public void forRange(int n, RangeBody body) {
    forRange(n, 1, body);
  }

  /** Like {@link #forRange(int, RangeBody)} but never splits below {@code minChunk} indices per chunk. */
  public void forRange(int n, int minChunk, RangeBody body) {
    int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
    if (chunks <= 1 || pool == null) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      tasks[c - 1] = pool.submit(() -> body.run(from, to));
    }
    body.run(0, (int) ((long) n / chunks));
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
