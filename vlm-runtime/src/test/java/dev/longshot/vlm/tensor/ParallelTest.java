package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
