package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prefill matrix-matrix products ({@link Matmul#matmul} with {@code n} activations) in the Qwen2.5-0.5B shapes, per
 * weight type: milliseconds per product, GFLOP/s, and the ratio to the same product done as {@code n} matrix-vector
 * products (one dot per output, the decode kernel) measured in the same run. Random weights (seed 1); median and
 * min-max of the repeats. With 1 thread it also prints GFLOP/s per CPU-second of the calling thread, which a
 * shared machine's load hardly moves (for comparing kernels while other processes run). Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.MatmulBenchmark [THREADS]
 * [TOKENS] [REPEATS]}.
 */
public final class MatmulBenchmark {
  private MatmulBenchmark() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int[][] shapes = {{896, 896}, {4864, 896}, {896, 4864}};
    System.out.printf(Locale.ROOT, "MatmulBenchmark: %d threads, %d activations, kernels %s, %d repeats, "
        + "median [min-max]%n", threads, n, Kernels.describe(), repeats);
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(threads)) {
      for (int[] shape : shapes) {
        int rows = shape[0];
        int cols = shape[1];
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[][] xs = new float[n][cols];
        for (float[] x : xs) {
          for (int i = 0; i < cols; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
          }
        }
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0}) {
          byte[] bytes = TensorEncoding.encode(w, type.id());
          FloatTensor t = FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), w.length);
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
            cpu = String.format(Locale.ROOT, "  cpu %7.2f ms = %6.1f GFLOP/cpu-s", cpuMs, 2.0 * rows * cols * n / cpuMs / 1e6);
          }
          System.out.printf(Locale.ROOT, "%5d x %-5d %-5s %8.2f ms [%.2f-%.2f] %6.1f GFLOP/s  per-token matvec "
              + "%8.2f ms  ratio %5.2fx%s%n", rows, cols, type, med, Arrays.stream(gemm).min().orElse(0),
              Arrays.stream(gemm).max().orElse(0), 2.0 * rows * cols * n / med / 1e6, median(perToken),
              median(perToken) / med, cpu);
        }
      }
    }
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
