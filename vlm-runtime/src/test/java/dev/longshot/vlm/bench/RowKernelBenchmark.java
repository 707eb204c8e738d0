package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.Q8Activation;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode's quantized matrix-vector kernels on one thread, in the Qwen2.5-1.5B layer shapes, weights memory-mapped
 * (the default storage): the calling thread's CPU time per product of {@link FloatTensor#dotRows} (the kernel
 * {@code Matmul.matvec} runs, which may compute several rows per pass) against one {@link FloatTensor#dot} per row
 * (the row-at-a-time kernel), alternating in the same run, best of each; CPU time, which other processes on a shared
 * machine hardly move; and the CPU time of building the decode layout ({@link FloatTensor#buildLayout}, done at load by the
 * runtime; for the first shape it includes the JIT's warm-up). Types: q8_0, q4_0, q4_k, q6_k. Random weights (seed 1).
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.RowKernelBenchmark [REPEATS] [TYPES: q8_0,q4_0]}.
 */
public final class RowKernelBenchmark {
  /** rows x cols of the Qwen2.5-1.5B projections: attention q/o, k/v, FFN gate/up, FFN down. */
  private static final int[][] SHAPES = {{1536, 1536}, {256, 1536}, {8960, 1536}, {1536, 8960}};

  private RowKernelBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String types = args.length > 1 ? args[1] : "q8_0,q4_0";
    System.out.printf(Locale.ROOT, "RowKernelBenchmark: 1 thread, kernels %s, weights %s, best of %d%n",
        Kernels.describe(), WeightStorage.preferred(), repeats);
    var mx = ManagementFactory.getThreadMXBean();
    SplittableRandom r = new SplittableRandom(1);
    Path dir = Files.createTempDirectory("rowkernel");
    try (WeightMemory memory = WeightStorage.preferred().open()) {
      for (String name : types.split(",")) {
        GgmlType type = GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        for (int[] shape : SHAPES) {
          int rows = shape[0];
          int cols = shape[1];
          byte[] bytes = TensorEncoding.encode(BenchData.uniform(r, rows * cols), type.id());
          Path f = dir.resolve(type + "-" + rows + "x" + cols);
          Files.write(f, bytes);
          FloatTensor w;
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            w = memory.tensor(ch, 0, type, (long) rows * cols);
          }
          Q8Activation x = Q8Activation.of(BenchData.uniform(r, cols), cols);
          float[] out = new float[rows];
          long f0 = mx.getCurrentThreadCpuTime();
          try (Parallel one = new Parallel(1)) {
            w.buildLayout(cols, one); // the interleaved copy, where the tensor has one (at load in the runtime)
          }
          double firstMs = (mx.getCurrentThreadCpuTime() - f0) / 1e6;
          double bestRows = Double.MAX_VALUE;
          double bestDot = Double.MAX_VALUE;
          for (int round = 0; round < repeats + 15; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            w.dotRows(0, rows, x, out);
            long c1 = mx.getCurrentThreadCpuTime();
            for (int row = 0; row < rows; row++) {
              out[row] = w.dot((long) row * cols, x);
            }
            long c2 = mx.getCurrentThreadCpuTime();
            if (round >= 15) { // the first rounds warm the JIT
              bestRows = Math.min(bestRows, (c1 - c0) / 1e6);
              bestDot = Math.min(bestDot, (c2 - c1) / 1e6);
            }
          }
          System.out.printf(Locale.ROOT, "%-5s %5d x %-5d dotRows %7.3f ms (%5.2f GB/cpu-s)  dot per row %7.3f ms "
              + "(%5.2f)  = %.2fx; layout build %.1f cpu ms%n", type, rows, cols, bestRows, bytes.length / bestRows / 1e6, bestDot,
              bytes.length / bestDot / 1e6, bestDot / bestRows, firstMs);
          Files.delete(f);
        }
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }
}
