package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The kernel thread set covers every index exactly once per region, whatever the split, and reports failures. */
class ParallelTest {
  @Test
  void everyIndexRunsExactlyOnceAcrossManyRegionsOfVaryingSize() {
    try (Parallel par = new Parallel(4)) {
      for (int region = 0; region < 2000; region++) {
        int n = region % 37;
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
        par.forRange(n, 1 + region % 5, (from, to) -> {
          for (int i = from; i < to; i++) {
            hits.incrementAndGet(i);
          }
        });
        for (int i = 0; i < n; i++) {
          assertThat(hits.get(i)).as("region %d index %d of %d", region, i, n).isEqualTo(1);
        }
      }
    }
  }

  /** A worker stuck in one chunk must not hold up the rest: the caller claims every other chunk itself. */
  @Test
  void theCallerTakesOverTheChunksOfAStalledWorker() {
    try (Parallel par = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      int chunks = 2 * Parallel.CHUNKS_PER_THREAD;
      AtomicInteger byCaller = new AtomicInteger();
      AtomicBoolean workerGaveUp = new AtomicBoolean();
      AtomicIntegerArray hits = new AtomicIntegerArray(chunks * 10);
      par.forRange(chunks * 10, (from, to) -> {
        if (Thread.currentThread() == caller) {
          byCaller.incrementAndGet();
        } else {
          long deadline = System.nanoTime() + 10_000_000_000L; // a fixed split would leave the caller waiting
          while (byCaller.get() < chunks - 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          workerGaveUp.compareAndSet(false, byCaller.get() < chunks - 1);
        }
        for (int i = from; i < to; i++) {
          hits.incrementAndGet(i);
        }
      });
      assertThat(workerGaveUp).as("worker waited 10 s for the caller to take the other chunks").isFalse();
      for (int i = 0; i < chunks * 10; i++) {
        assertThat(hits.get(i)).as("index %d", i).isEqualTo(1);
      }
    }
  }

  @Test
  void aFailingChunkFailsTheRegionAndLaterRegionsStillRun() {
    try (Parallel par = new Parallel(2)) {
      assertThatThrownBy(() -> par.forRange(100, (from, to) -> {
        if (from > 0) {
          throw new IllegalArgumentException("boom at " + from);
        }
      })).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("boom at ");
      int[] sum = new int[1];
      par.forRange(10, (from, to) -> {
        synchronized (sum) {
          sum[0] += to - from;
        }
      });
      assertThat(sum[0]).isEqualTo(10);
    }
    assertThatThrownBy(() -> new Parallel(0)).hasMessageContaining("got 0");
  }
}
