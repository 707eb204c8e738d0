package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a parallel region of {@link Parallel} costs against the work in it, at decode's sizes. Three parts, each with
 * {@code THREADS} threads against one thread in the same run:
 * <ol>
 *   <li>fork/join of an empty region (16 chunks): wall time per region, and the share of chunks a helper ran;</li>
 *   <li>regions of busy work (a fixed count of multiply-adds split into 16 chunks) whose one-thread time is about
 *   50, 150 and 400 microseconds, decode's region sizes: parallel efficiency = 1-thread time / (threads x wall);</li>
 *   <li>one decoded token's weight products without attention (per layer: q/k/v in one region, o, gate/up in one
 *   region, down, then the output matrix) over {@code LAYERS} distinct layers of random memory-mapped weights with
 *   their decode layouts, in the Qwen2.5-0.5B or 1.5B shapes: wall ms per token, regions per token, and the weights'
 *   bytes read per second (the file's bytes), 1 thread and {@code THREADS} alternating; for 1 thread also its CPU time,
 *   which other processes on a shared machine hardly move.</li>
 * </ol>
 * Process CPU time in the second after the last region is printed too (the workers must not keep spinning when idle).
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.ParallelBenchmark [THREADS] [SHAPE: qwen05|qwen15]
 * [TYPE: q8_0|q4_0] [LAYERS] [TOKENS]}.
 */
public final class ParallelBenchmark {
  private static volatile double sink;

  private ParallelBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String shape = args.length > 1 ? args[1] : "qwen05";
    GgmlType type = GgmlType.valueOf((args.length > 2 ? args[2] : "q8_0").toUpperCase(Locale.ROOT));
    int layers = args.length > 3 ? Integer.parseInt(args[3]) : 24;
    int tokens = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    int dim = shape.equals("qwen15") ? 1536 : 896;
    int kv = shape.equals("qwen15") ? 256 : 128;
    int hidden = shape.equals("qwen15") ? 8960 : 4864;
    int vocab = 151936;
    System.out.printf(Locale.ROOT, "ParallelBenchmark: %d threads vs 1, %s %s, %d layers, kernels %s, weights %s, "
        + "load average %.1f%n", threads, shape, type, layers, Kernels.describe(), WeightStorage.preferred(), load());
    try (Parallel one = new Parallel(1); Parallel many = new Parallel(threads)) {
      emptyRegions(many);
      for (int work : new int[] {20_000, 60_000, 160_000}) {
        busyRegions(one, many, work);
      }
      Path dir = Files.createTempDirectory("parallelbench");
      try (WeightMemory memory = WeightStorage.preferred().open()) {
        SplittableRandom r = new SplittableRandom(1);
        List<FloatTensor[]> ls = new ArrayList<>();
        long bytes = 0;
        int[][] shapes = {{dim, dim}, {kv, dim}, {kv, dim}, {dim, dim}, {hidden, dim}, {hidden, dim}, {dim, hidden}};
        for (int l = 0; l < layers; l++) {
          FloatTensor[] m = new FloatTensor[shapes.length];
          for (int i = 0; i < shapes.length; i++) {
            m[i] = tensor(memory, dir, type, shapes[i][0], shapes[i][1], r, many);
            bytes += bytes(type, shapes[i][0], shapes[i][1]);
          }
          ls.add(m);
        }
        FloatTensor out = tensor(memory, dir, type, vocab, dim, r, many);
        bytes += bytes(type, vocab, dim);
        float[][] x = {BenchData.uniform(r, dim)};
        float[][] xh = {BenchData.uniform(r, hidden)};
        float[][] q = new float[1][dim];
        float[][] k = new float[1][kv];
        float[][] v = new float[1][kv];
        float[][] h1 = new float[1][hidden];
        float[][] h2 = new float[1][hidden];
        float[][] logits = new float[1][vocab];
        Runnable token1 = () -> token(one, ls, out, x, xh, q, k, v, h1, h2, logits, dim, kv, hidden, vocab);
        Runnable tokenN = () -> token(many, ls, out, x, xh, q, k, v, h1, h2, logits, dim, kv, hidden, vocab);
        for (int w = 0; w < 3; w++) { // JIT warm-up
          token1.run();
          tokenN.run();
        }
        double best1 = Double.MAX_VALUE;
        double bestN = Double.MAX_VALUE;
        double sum1 = 0;
        double sumN = 0;
        double bestCpu1 = Double.MAX_VALUE;
        var mx = ManagementFactory.getThreadMXBean();
        for (int t = 0; t < tokens; t++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long a = System.nanoTime();
          token1.run();
          long b = System.nanoTime();
          bestCpu1 = Math.min(bestCpu1, (mx.getCurrentThreadCpuTime() - c0) / 1e6);
          tokenN.run();
          long c = System.nanoTime();
          best1 = Math.min(best1, (b - a) / 1e6);
          bestN = Math.min(bestN, (c - b) / 1e6);
          sum1 += (b - a) / 1e6;
          sumN += (c - b) / 1e6;
        }
        int regions = layers * 4 + 1;
        System.out.printf(Locale.ROOT, "token (%d regions, %.0f MB of weights): 1 thread best %.2f ms mean %.2f "
            + "(%.1f GB/s; best %.2f CPU ms = %.1f GB per CPU-s); %d threads best %.2f ms mean %.2f (%.1f GB/s); speed-up %.2fx best, %.2fx mean; "
            + "%.1f us per region at %d threads%n", regions, bytes / 1e6, best1, sum1 / tokens, bytes / best1 / 1e6,
            bestCpu1, bytes / bestCpu1 / 1e6, threads, bestN, sumN / tokens, bytes / bestN / 1e6, best1 / bestN, sum1 / sumN, bestN * 1e3 / regions,
            threads);
      } finally {
        try (var s = Files.list(dir)) {
          for (Path p : s.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(dir);
      }
      idleCpu();
    }
  }

  private static void token(Parallel par, List<FloatTensor[]> ls, FloatTensor out, float[][] x, float[][] xh,
      float[][] q, float[][] k, float[][] v, float[][] h1, float[][] h2, float[][] logits, int dim, int kv,
      int hidden, int vocab) {
    for (FloatTensor[] m : ls) {
      Matmul.matmul(par, x, 1, dim, new Matmul.Job(m[0], q, dim), new Matmul.Job(m[1], k, kv),
          new Matmul.Job(m[2], v, kv));
      Matmul.matmul(par, m[3], x, q, 1, dim, dim);
      Matmul.matmul(par, x, 1, dim, new Matmul.Job(m[4], h1, hidden), new Matmul.Job(m[5], h2, hidden));
      Matmul.matmul(par, m[6], xh, q, 1, dim, hidden);
    }
    Matmul.matmul(par, out, x, logits, 1, vocab, dim);
  }

  private static long bytes(GgmlType type, int rows, int cols) {
    return (long) rows * cols / type.blockSize() * type.bytesPerBlock();
  }

  private static FloatTensor tensor(WeightMemory memory, Path dir, GgmlType type, int rows, int cols,
      SplittableRandom r, Parallel par) throws Exception {
    byte[] bytes = TensorEncoding.encode(BenchData.uniform(r, rows * cols), type.id());
    Path f = Files.createTempFile(dir, type.toString(), ".bin");
    Files.write(f, bytes);
    FloatTensor w;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      w = memory.tensor(ch, 0, type, (long) rows * cols);
    }
    w.buildLayout(cols, par);
    return w;
  }

  private static void emptyRegions(Parallel many) {
    Thread caller = Thread.currentThread();
    AtomicInteger helped = new AtomicInteger();
    int chunks = 16;
    int regions = 20_000;
    for (int round = 0; round < 2; round++) { // the first round warms up
      helped.set(0);
      long a = System.nanoTime();
      for (int i = 0; i < regions; i++) {
        many.forRange(chunks, 1, (from, to) -> {
          if (Thread.currentThread() != caller) {
            helped.addAndGet(to - from);
          }
        });
      }
      long b = System.nanoTime();
      if (round == 1) {
        System.out.printf(Locale.ROOT, "empty region (%d chunks): %.2f us per region, helpers ran %.1f %% of chunks%n",
            chunks, (b - a) / 1e3 / regions, 100.0 * helped.get() / ((long) regions * chunks));
      }
    }
  }

  /** Regions of {@code work} multiply-adds in 16 chunks, 1 thread vs many, alternating. */
  private static void busyRegions(Parallel one, Parallel many, int work) {
    int chunks = 16;
    int per = work / chunks;
    Parallel.RangeBody body = (from, to) -> {
      double acc = 0;
      for (int c = from; c < to; c++) {
        double y = c;
        for (int i = 0; i < per; i++) {
          y = y * 0.9999999 + 1e-9;
        }
        acc += y;
      }
      sink += acc;
    };
    int regions = 400;
    double best1 = Double.MAX_VALUE;
    double bestN = Double.MAX_VALUE;
    double sum1 = 0;
    double sumN = 0;
    for (int round = 0; round < 8; round++) {
      long a = System.nanoTime();
      for (int i = 0; i < regions; i++) {
        one.forRange(chunks, 1, body);
      }
      long b = System.nanoTime();
      for (int i = 0; i < regions; i++) {
        many.forRange(chunks, 1, body);
      }
      long c = System.nanoTime();
      if (round >= 2) {
        best1 = Math.min(best1, (b - a) / 1e3 / regions);
        bestN = Math.min(bestN, (c - b) / 1e3 / regions);
        sum1 += (b - a) / 1e3 / regions;
        sumN += (c - b) / 1e3 / regions;
      }
    }
    System.out.printf(Locale.ROOT, "busy region: 1 thread %.1f us, %d threads %.1f us (best; mean %.1f / %.1f): "
        + "efficiency %.2f best, %.2f mean; lost per region %.1f us%n", best1, many.threads(), bestN, sum1 / 6,
        sumN / 6, best1 / (many.threads() * bestN), sum1 / (many.threads() * sumN), bestN - best1 / many.threads());
  }

  /** Process CPU time in the second after the last region: the pool's idle cost. */
  private static void idleCpu() throws InterruptedException {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(50);
    long a = os.getProcessCpuTime();
    Thread.sleep(1000);
    long b = os.getProcessCpuTime();
    System.out.printf(Locale.ROOT, "process CPU in the idle second after the last region: %.1f ms%n", (b - a) / 1e6);
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
