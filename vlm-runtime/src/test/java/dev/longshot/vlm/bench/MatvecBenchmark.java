package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.Q8Activation;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.SplittableRandom;

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
    int[][] shapes = {{896, 896}, {4864, 896}, {896, 4864}, {151936, 896}};
    System.out.printf(Locale.ROOT, "MatvecBenchmark: %d threads, kernels %s, best of %d%n", threads,
        Kernels.describe(), repeats);
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(threads)) {
      for (int[] shape : shapes) {
        int rows = shape[0];
        int cols = shape[1];
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
          x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        double f32 = 0;
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0}) {
          byte[] bytes = TensorEncoding.encode(w, type.id());
          FloatTensor t = FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), w.length);
          double ms = time(par, t, x, rows, cols, repeats);
          float[] out = new float[rows];
          if (type == GgmlType.F32) {
            f32 = ms;
          }
          String cpu = "";
          if (t.dotsQuantized()) {
            // the calling thread's CPU time per product, alternating rounds, best of each (load only slows a round):
            // quantized activations + integer sums (what Matmul.matvec runs) vs float activations (the previous
            // kernel, dequantizing every weight), both single-threaded row loops
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            double bestInt = Double.MAX_VALUE;
            double bestFloat = Double.MAX_VALUE;
            for (int round = 0; round < repeats + 6; round++) {
              long c0 = mx.getCurrentThreadCpuTime();
              Q8Activation xq = Q8Activation.of(x, cols);
              for (int row = 0; row < rows; row++) {
                out[row] = t.dot((long) row * cols, xq);
              }
              long c1 = mx.getCurrentThreadCpuTime();
              for (int row = 0; row < rows; row++) {
                out[row] = t.dot((long) row * cols, x, 0, cols);
              }
              long c2 = mx.getCurrentThreadCpuTime();
              if (round >= 3) { // the first rounds warm the JIT
                bestInt = Math.min(bestInt, (c1 - c0) / 1e6);
                bestFloat = Math.min(bestFloat, (c2 - c1) / 1e6);
              }
            }
            cpu = String.format(Locale.ROOT, "  1-thread cpu ms: integer %.3f (%.2f GB/cpu-s) vs float activations "
                + "%.3f (%.2f) = %.2fx", bestInt, bytes.length / bestInt / 1e6, bestFloat,
                bytes.length / bestFloat / 1e6, bestFloat / bestInt);
          }
          System.out.printf(Locale.ROOT, "%6d x %-5d %-5s %8.3f ms  %6.2f GB/s (file bytes)  vs F32 %5.2fx%s%n", rows,
              cols, type, ms, bytes.length / ms / 1e6, f32 / ms, cpu);
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
