package dev.longshot.vlm.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads for the kernels: {@code threads - 1} pool threads plus the caller. A region is cut
 * into up to {@value #CHUNKS_PER_THREAD} chunks per thread that the threads claim from a shared counter, so a thread
 * the OS has descheduled (the dev box runs many JVMs on 2 cores) or a worker that wakes up late holds up at most the
 * chunk it is in, not a fixed share of the region; the caller never waits for a worker that has not started.
 * One instance per loaded model; calls from several threads at once are safe but share the workers.
 * Close it to stop the workers.
 */
public final class Parallel implements AutoCloseable {
  /** Chunks per thread and region: enough to even out a late thread, few enough to keep hand-offs cheap. */
  static final int CHUNKS_PER_THREAD = 8;
  private static final int SPINS = 2000;

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

  /** Runs {@code body} over {@code [0, n)} split into contiguous chunks, and waits for all. */
  public void forRange(int n, RangeBody body) {
    forRange(n, 1, body);
  }

  /**
   * Like {@link #forRange(int, RangeBody)} but never splits below {@code minChunk} indices per chunk. A chunk that
   * throws fails the region with its exception (the first one, if several throw); chunks not yet started are
   * skipped.
   */
  public void forRange(int n, int minChunk, RangeBody body) {
    int maxChunks = Math.max(1, n / Math.max(1, minChunk));
    if (maxChunks <= 1 || pool == null) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    Region region = new Region(n, Math.min(maxChunks, threads * CHUNKS_PER_THREAD), body);
    int helpers = Math.min(threads - 1, region.chunks - 1);
    for (int h = 0; h < helpers; h++) {
      pool.execute(region::work);
    }
    region.work();
    region.await();
  }

  /** One parallel region: chunks claimed from {@code next}, completion counted in {@code done}. */
  private static final class Region {
    final int n;
    final int chunks;
    final RangeBody body;
    final Thread caller = Thread.currentThread();
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Region(int n, int chunks, RangeBody body) {
      this.n = n;
      this.chunks = chunks;
      this.body = body;
    }

    void work() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          if (done.incrementAndGet() == chunks && Thread.currentThread() != caller) {
            LockSupport.unpark(caller);
          }
        }
      }
    }

    /** Waits until every chunk has finished (spinning briefly, then parked), then rethrows a chunk's failure. */
    void await() {
      for (int spin = 0; done.get() < chunks; spin++) {
        if (spin < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      Throwable t = failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException("parallel region failed", t);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
