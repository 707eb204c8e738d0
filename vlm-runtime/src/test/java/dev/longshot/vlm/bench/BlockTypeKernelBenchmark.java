package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The llama.cpp block types (Q4_K, Q6_K, Q5_K, Q5_0) against Q4_0, Q8_0 and F32 on the Qwen2.5-1.5B projection
 * shapes (every row a multiple of 256): decode's matrix-vector product and the prefill GEMM ({@code TOKENS}
 * activations), one thread, in GFLOP per CPU-second of the calling thread (what a shared machine's load hardly
 * moves). The types run in turn within each round, best round per type. Random weights (seed 1).
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.BlockTypeKernelBenchmark [TOKENS] [ROUNDS]}.
 */
public final class BlockTypeKernelBenchmark {
  private static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K,
      GgmlType.Q5_K, GgmlType.Q5_0};
  private static final int[][] SHAPES = {{1536, 1536}, {8960, 1536}, {1536, 8960}};

  private BlockTypeKernelBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "BlockTypeKernelBenchmark: 1 thread, kernels %s, prefill of %d activations, best of "
        + "%d rounds, GFLOP per CPU-second%n", Kernels.describe(), n, rounds);
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(1)) {
      for (int[] shape : SHAPES) {
        int rows = shape[0];
        int cols = shape[1];
        float[] w = BenchData.uniform(r, rows * cols);
        float[][] xs = BenchData.uniformRows(r, n, cols);
        FloatTensor[] ts = new FloatTensor[TYPES.length];
        for (int i = 0; i < TYPES.length; i++) {
          ts[i] = BenchData.Weights.of(w, TYPES[i]).tensor();
        }
        double[] matvec = new double[TYPES.length];
        double[] gemm = new double[TYPES.length];
        float[] out = new float[rows];
        float[][] outs = new float[n][rows];
        for (int round = 0; round < rounds + 2; round++) {
          for (int i = 0; i < TYPES.length; i++) {
            FloatTensor t = ts[i];
            long c0 = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < 4; k++) {
              Matmul.matvec(par, t, xs[k], out, rows, cols);
            }
            long c1 = mx.getCurrentThreadCpuTime();
            Matmul.matmul(par, t, xs, outs, n, rows, cols);
            long c2 = mx.getCurrentThreadCpuTime();
            if (round >= 2) { // the first rounds warm the JIT
              matvec[i] = Math.max(matvec[i], 4 * 2.0 * rows * cols / (c1 - c0));
              gemm[i] = Math.max(gemm[i], 2.0 * rows * cols * n / (c2 - c1));
            }
          }
        }
        for (int i = 0; i < TYPES.length; i++) {
          System.out.printf(Locale.ROOT, "%5d x %-5d %-5s matvec %6.2f GFLOP/cpu-s (%.2fx Q4_0, %.2fx F32)   prefill "
              + "%6.2f (%.2fx Q4_0, %.2fx F32)%n", rows, cols, TYPES[i], matvec[i], matvec[i] / matvec[2],
              matvec[i] / matvec[0], gemm[i], gemm[i] / gemm[2], gemm[i] / gemm[0]);
        }
      }
    }
  }
}
