package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.Q8Activation;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Decode-time matrix-vector products ({@link Matmul#matvec}) in the Qwen2.5-0.5B shapes, per weight type, with the
 * F32 product of the same shape as the in-run baseline: milliseconds per product and weight bytes streamed per
 * second. Tells whether a type's kernel is bound by memory or by arithmetic. For Q8_0 / Q4_0 it also prints the
 * calling thread's CPU time per product of the integer kernels (quantized activation, what {@code matvec} runs)
 * against the float-activation kernels (every weight dequantized), alternating in the same run. Random weights
 * (seed 1).
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.MatvecBenchmark [THREADS] [REPEATS]}.
 */
public final class MatvecBenchmark {
  private MatvecBenchmark() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int[][] shapes = Stream.concat(Arrays.stream(BenchData.QWEN_05B_SHAPES), Stream.of(BenchData.QWEN_05B_VOCAB))
        .toArray(int[][]::new);
    System.out.printf(Locale.ROOT, "MatvecBenchmark: %d threads, kernels %s, best of %d%n", threads,
        Kernels.describe(), repeats);
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(threads)) {
      for (int[] shape : shapes) {
        int rows = shape[0];
        int cols = shape[1];
        float[] w = BenchData.uniform(r, rows * cols);
        float[] x = BenchData.uniform(r, cols);
        double f32 = 0;
        for (GgmlType type : BenchData.TYPES) {
          if (!BenchData.fits(type, cols)) {
            continue;
          }
          BenchData.Weights t = BenchData.Weights.of(w, type);
          double ms = time(par, t.tensor(), x, rows, cols, repeats);
          if (type == GgmlType.F32) {
            f32 = ms;
          }
          String cpu = "";
          if (t.tensor().dotsQuantized()) {
            // the calling thread's CPU time per product, alternating rounds, best of each (load only slows a round):
            // quantized activations + integer sums (what Matmul.matvec runs) vs float activations (the previous
            // kernel, dequantizing every weight), both single-threaded row loops
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            FloatTensor w8 = t.tensor();
            float[] out = new float[rows];
            double bestInt = Double.MAX_VALUE;
            double bestFloat = Double.MAX_VALUE;
            for (int round = 0; round < repeats + 6; round++) {
              long c0 = mx.getCurrentThreadCpuTime();
              Q8Activation xq = Q8Activation.of(x, cols);
              for (int row = 0; row < rows; row++) {
                out[row] = w8.dot((long) row * cols, xq);
              }
              long c1 = mx.getCurrentThreadCpuTime();
              for (int row = 0; row < rows; row++) {
                out[row] = w8.dot((long) row * cols, x, 0, cols);
              }
              long c2 = mx.getCurrentThreadCpuTime();
              if (round >= 3) { // the first rounds warm the JIT
                bestInt = Math.min(bestInt, (c1 - c0) / 1e6);
                bestFloat = Math.min(bestFloat, (c2 - c1) / 1e6);
              }
            }
            cpu = String.format(Locale.ROOT, "  1-thread cpu ms: integer %.3f (%.2f GB/cpu-s) vs float activations "
                + "%.3f (%.2f) = %.2fx", bestInt, t.fileBytes() / bestInt / 1e6, bestFloat,
                t.fileBytes() / bestFloat / 1e6, bestFloat / bestInt);
          }
          System.out.printf(Locale.ROOT, "%6d x %-5d %-5s %8.3f ms  %6.2f GB/s (file bytes)  vs F32 %5.2fx%s%n", rows,
              cols, type, ms, t.fileBytes() / ms / 1e6, f32 / ms, cpu);
        }
      }
    }
  }

  private static double time(Parallel par, FloatTensor t, float[] x, int rows, int cols, int repeats) {
    float[] out = new float[rows];
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats + 5; i++) {
      long s = System.nanoTime();
      Matmul.matvec(par, t, x, out, rows, cols);
      best = Math.min(best, (System.nanoTime() - s) / 1e6);
    }
    return best;
  }
}
