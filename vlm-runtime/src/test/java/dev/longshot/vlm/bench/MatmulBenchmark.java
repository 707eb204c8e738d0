package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill matrix-matrix products ({@link Matmul#matmul} with {@code n} activations) in the Qwen2.5-0.5B shapes, per
 * weight type: milliseconds per product, GFLOP/s, and the ratio to the same product done as {@code n} matrix-vector
 * products (one dot per output, the decode kernel) measured in the same run. Random weights (seed 1); median and
 * min-max of the repeats. With 1 thread it also prints GFLOP/s per CPU-second of the calling thread, which a
 * shared machine's load hardly moves (for comparing kernels while other processes run), for {@link Matmul} and for
 * two baselines run alternately with it: {@link #previousKernel} (the 2 x 6 micro-kernel {@code Matmul} used before,
 * same packing) and a register-only FMA loop ({@link FmaPeak}: the machine's FMA peak per CPU-second, the ceiling). Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.MatmulBenchmark [THREADS]
 * [TOKENS] [REPEATS]}.
 */
public final class MatmulBenchmark {
  private MatmulBenchmark() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    System.out.printf(Locale.ROOT, "MatmulBenchmark: %d threads, %d activations, kernels %s, %d repeats, "
        + "median [min-max]%n", threads, n, Kernels.describe(), repeats);
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(threads)) {
      for (int[] shape : BenchData.QWEN_05B_SHAPES) {
        int rows = shape[0];
        int cols = shape[1];
        float[] w = BenchData.uniform(r, rows * cols);
        float[][] xs = BenchData.uniformRows(r, n, cols);
        for (GgmlType type : BenchData.TYPES) {
          if (!BenchData.fits(type, cols)) {
            continue;
          }
          FloatTensor t = BenchData.Weights.of(w, type).tensor();
          float[][] outs = new float[n][rows];
          double[] gemm = time(repeats, () -> Matmul.matmul(par, t, xs, outs, n, rows, cols));
          double[] perToken = time(Math.max(3, repeats / 2), () -> {
            for (int i = 0; i < n; i++) {
              Matmul.matvec(par, t, xs[i], outs[i], rows, cols);
            }
          });
          double med = median(gemm);
          String cpu = "";
          if (threads == 1) {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < repeats; i++) {
              Matmul.matmul(par, t, xs, outs, n, rows, cols);
            }
            double cpuMs = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / repeats;
            double ours = 2.0 * rows * cols * n / cpuMs / 1e6;
            // alternate ours and the previous kernel; best of the rounds per side (load only ever slows a round)
            double bestOurs = 0;
            double bestPrev = 0;
            float[][] prevOuts = new float[n][rows];
            for (int round = 0; round < repeats; round++) {
              long a0 = mx.getCurrentThreadCpuTime();
              Matmul.matmul(par, t, xs, outs, n, rows, cols);
              long a1 = mx.getCurrentThreadCpuTime();
              previousKernel(t, xs, prevOuts, n, rows, cols);
              long a2 = mx.getCurrentThreadCpuTime();
              bestOurs = Math.max(bestOurs, 2.0 * rows * cols * n / (a1 - a0));
              bestPrev = Math.max(bestPrev, 2.0 * rows * cols * n / (a2 - a1));
            }
            double peak = FmaPeak.gflopsPerCpuSecond();
            cpu = String.format(Locale.ROOT, "  cpu %7.2f ms = %6.1f GFLOP/cpu-s; best %5.1f vs previous 2x6 kernel "
                + "%5.1f = %4.2fx; FMA peak %5.1f, ours %3.0f%% of it", cpuMs, ours, bestOurs, bestPrev,
                bestOurs / bestPrev, peak, 100 * bestOurs / peak);
          }
          System.out.printf(Locale.ROOT, "%5d x %-5d %-5s %8.2f ms [%.2f-%.2f] %6.1f GFLOP/s  per-token matvec "
              + "%8.2f ms  ratio %5.2fx%s%n", rows, cols, type, med, Arrays.stream(gemm).min().orElse(0),
              Arrays.stream(gemm).max().orElse(0), 2.0 * rows * cols * n / med / 1e6, median(perToken),
              median(perToken) / med, cpu);
        }
      }
    }
  }

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int PREV_PANEL = 2 * F.length();

  /**
   * The baseline: the prefill kernel {@code Matmul} had before this one (single thread), kept here to measure
   * against: panels of 2 vectors' worth of rows packed column-major the same way, 6 activations per call, 2 x 6
   * accumulators (which C2 spills: two of them go through the stack on every iteration).
   */
  static void previousKernel(FloatTensor w, float[][] xs, float[][] outs, int n, int rows, int cols) {
    int l = F.length();
    float[] tile = new float[cols * PREV_PANEL];
    float[] row = new float[cols];
    float[] tmp = new float[PREV_PANEL];
    for (int r0 = 0; r0 < rows; r0 += PREV_PANEL) {
      int count = Math.min(PREV_PANEL, rows - r0);
      for (int i = 0; i < PREV_PANEL; i++) {
        if (i < count) {
          w.copyTo((long) (r0 + i) * cols, row, 0, cols);
        } else {
          Arrays.fill(row, 0f);
        }
        for (int k = 0, o = i; k < cols; k++, o += PREV_PANEL) {
          tile[o] = row[k];
        }
      }
      int t = 0;
      for (; t + 6 <= n; t += 6) {
        previousKernel6(tile, xs, t, cols, outs, r0, count, tmp);
      }
      for (; t < n; t++) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = c0;
        for (int k = 0, o = 0; k < cols; k++, o += PREV_PANEL) {
          FloatVector b = FloatVector.broadcast(F, xs[t][k]);
          c0 = FloatVector.fromArray(F, tile, o).fma(b, c0);
          c1 = FloatVector.fromArray(F, tile, o + l).fma(b, c1);
        }
        previousStore(c0, c1, outs[t], r0, count, tmp);
      }
    }
  }

  private static void previousKernel6(float[] tile, float[][] xs, int t, int cols, float[][] outs, int r0,
      int count, float[] tmp) {
    int l = F.length();
    float[] x0 = xs[t], x1 = xs[t + 1], x2 = xs[t + 2], x3 = xs[t + 3], x4 = xs[t + 4], x5 = xs[t + 5];
    FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
        c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int k = 0, o = 0; k < cols; k++, o += PREV_PANEL) {
      FloatVector w0 = FloatVector.fromArray(F, tile, o);
      FloatVector w1 = FloatVector.fromArray(F, tile, o + l);
      FloatVector b = FloatVector.broadcast(F, x0[k]);
      c00 = w0.fma(b, c00);
      c01 = w1.fma(b, c01);
      b = FloatVector.broadcast(F, x1[k]);
      c10 = w0.fma(b, c10);
      c11 = w1.fma(b, c11);
      b = FloatVector.broadcast(F, x2[k]);
      c20 = w0.fma(b, c20);
      c21 = w1.fma(b, c21);
      b = FloatVector.broadcast(F, x3[k]);
      c30 = w0.fma(b, c30);
      c31 = w1.fma(b, c31);
      b = FloatVector.broadcast(F, x4[k]);
      c40 = w0.fma(b, c40);
      c41 = w1.fma(b, c41);
      b = FloatVector.broadcast(F, x5[k]);
      c50 = w0.fma(b, c50);
      c51 = w1.fma(b, c51);
    }
    previousStore(c00, c01, outs[t], r0, count, tmp);
    previousStore(c10, c11, outs[t + 1], r0, count, tmp);
    previousStore(c20, c21, outs[t + 2], r0, count, tmp);
    previousStore(c30, c31, outs[t + 3], r0, count, tmp);
    previousStore(c40, c41, outs[t + 4], r0, count, tmp);
    previousStore(c50, c51, outs[t + 5], r0, count, tmp);
  }

  private static void previousStore(FloatVector c0, FloatVector c1, float[] out, int r0, int count, float[] tmp) {
    c0.intoArray(tmp, 0);
    c1.intoArray(tmp, c0.length());
    System.arraycopy(tmp, 0, out, r0, count);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double[] time(int repeats, Runnable r) {
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long s = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    return ms;
  }
}
