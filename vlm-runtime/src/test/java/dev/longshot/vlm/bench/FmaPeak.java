package dev.longshot.vlm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ceiling the matrix kernels are measured against: GFLOP per CPU second of one thread running independent float
 * FMAs held in registers (12 accumulators, enough to cover the FMA latency), on the preferred vector species. The
 * loop is a method of its own, called until C2 has compiled it, then timed in CPU time (steadier than wall time on
 * a shared machine); best of 3 rounds, since load only ever slows a round. Shared by {@code MatmulBenchmark} and
 * the embeddings module's {@code M2BertThroughputBenchmark} (through this module's test jar).
 */
public final class FmaPeak {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final long ITERATIONS = 20_000_000L;

  private FmaPeak() {}

  /** GFLOP per CPU second of the current thread, measured now. */
  public static double gflopsPerCpuSecond() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    float sink = 0;
    for (int i = 0; i < 200; i++) {
      sink += loop(20_000);
    }
    double best = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = bean.getCurrentThreadCpuTime();
      sink += loop(ITERATIONS);
      double seconds = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
      best = Math.max(best, ITERATIONS * 12.0 * 2 * F.length() / seconds / 1e9);
    }
    if (Float.isNaN(sink)) {
      throw new IllegalStateException("unreachable"); // keeps the loop's result alive
    }
    return best;
  }

  private static float loop(long iters) {
    FloatVector m = FloatVector.broadcast(F, 0.9999999f);
    FloatVector a = FloatVector.broadcast(F, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(F, 0f), c1 = FloatVector.broadcast(F, 1f), c2 = FloatVector.broadcast(F, 2f);
    FloatVector c3 = FloatVector.broadcast(F, 3f), c4 = FloatVector.broadcast(F, 4f), c5 = FloatVector.broadcast(F, 5f);
    FloatVector c6 = FloatVector.broadcast(F, 6f), c7 = FloatVector.broadcast(F, 7f), c8 = FloatVector.broadcast(F, 8f);
    FloatVector c9 = FloatVector.broadcast(F, 9f), c10 = FloatVector.broadcast(F, 10f);
    FloatVector c11 = FloatVector.broadcast(F, 11f);
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(VectorOperators.ADD);
  }
}
