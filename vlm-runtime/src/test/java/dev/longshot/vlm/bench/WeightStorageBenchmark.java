package dev.longshot.vlm.bench;

import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.model.DecodeLayouts;
import dev.longshot.vlm.model.Transformer;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Heap-copied against memory-mapped weights ({@link WeightStorage}), three modes:
 * <ul>
 * <li>{@code kernels [TOKENS] [ROUNDS]}: the decode matvec (per-type dot products) and the prefill GEMM (tiles packed
 *     through {@code copyTo}) on the same bytes held in the heap and read in place from a mapped file, Qwen2.5-0.5B
 *     shapes, F32/Q8_0/Q4_0, 1 thread, heap and mapped alternating round by round; the best GFLOP per CPU-second of
 *     the thread per side (load only ever slows a round) and the ratio mapped / heap, next to a control: a second heap
 *     copy of the same bytes in the same rotation (its ratio to the first is the run's noise).</li>
 * <li>{@code write smollm|qwen05|qwen15 q8_0|q4_0|f32|q4_k_m FILE}: writes a random-weight GGUF in that real shape.</li>
 * <li>{@code load FILE heap|mapped [PROMPT] [DECODE]}: loads the model in a fresh JVM, then prefills {@code PROMPT}
 *     tokens and decodes {@code DECODE} (every weight read at least once); prints load time (wall and process CPU), the
 *     time and size of the decode layouts built when the {@code Transformer} is made ({@code DecodeLayouts}),
 *     heap in use after a GC, the process's peak resident set (VmHWM) and what is resident at the end by kind (RssAnon:
 *     heap and other private memory; RssFile: file pages, the mapped weights among them). With {@code /usr/bin/time -v} around it
 *     and several {@code -Xmx} values, {@code bench/weight-storage.sh} reports the smallest heap that works.</li>
 * </ul>
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.WeightStorageBenchmark kernels 64 5}.
 */
public final class WeightStorageBenchmark {
  private WeightStorageBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "kernels";
    switch (mode) {
      case "kernels" -> kernels(args.length > 1 ? Integer.parseInt(args[1]) : 64,
          args.length > 2 ? Integer.parseInt(args[2]) : 5);
      case "write" -> write(args[1], args[2], Path.of(args[3]));
      case "load" -> load(Path.of(args[1]), WeightStorage.valueOf(args[2].toUpperCase(Locale.ROOT)),
          args.length > 3 ? Integer.parseInt(args[3]) : 16, args.length > 4 ? Integer.parseInt(args[4]) : 4);
      default -> throw new IllegalArgumentException("mode: kernels, write or load");
    }
  }

  private static void write(String model, String type, Path file) throws Exception {
    ModelSpec spec = ModelSpec.named(model);
    RandomModel random = new RandomModel(spec, 1);
    java.util.function.ToIntFunction<String> types = switch (type) {
      case "q8_0" -> name -> TensorEncoding.Q8_0;
      case "q4_0" -> name -> TensorEncoding.Q4_0;
      case "f32" -> name -> TensorEncoding.F32;
      case "q4_k_m" -> random.q4KmTypes(); // llama.cpp's Q4_K_M mix, as DecodeBenchmark writes it
      default -> throw new IllegalArgumentException("type: q8_0, q4_0, f32 or q4_k_m");
    };
    random.writeGguf(file, types);
    System.out.printf(Locale.ROOT, "wrote %s (%s %s, %.1f MB)%n", file, model, type, Files.size(file) / 1e6);
  }

  private static void load(Path file, WeightStorage storage, int prompt, int decode) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try (LoadedModel m = LoadedModel.load(file, storage); Parallel par = new Parallel(2)) {
      long loadNs = System.nanoTime() - t0;
      long loadCpu = os.getProcessCpuTime() - cpu0;
      ModelConfig c = m.config();
      long l0 = System.nanoTime();
      long lc0 = os.getProcessCpuTime();
      Transformer t = new Transformer(c, m.weights(), par); // builds the decode layouts (DecodeLayouts)
      long layoutNs = System.nanoTime() - l0;
      long layoutCpu = os.getProcessCpuTime() - lc0;
      DenseKvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), prompt + decode);
      int[] ids = new int[prompt];
      for (int i = 0; i < prompt; i++) {
        ids[i] = 300 + 7 * i;
      }
      long g0 = System.nanoTime();
      long gc0 = os.getProcessCpuTime();
      float[] logits = t.forward(ids, prompt, 0, cache, AttentionStrategies.dense(), true);
      for (int i = 0; i < decode; i++) {
        int next = argmax(logits);
        logits = t.forward(new int[] {next}, 1, prompt + i, cache, AttentionStrategies.dense(), true);
      }
      long genNs = System.nanoTime() - g0;
      long genCpu = os.getProcessCpuTime() - gc0;
      System.gc();
      long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      System.out.printf(Locale.ROOT, "load storage=%s file_mb=%.1f load_ms=%.0f load_cpu_ms=%.0f layout_ms=%.0f layout_cpu_ms=%.0f "
          + "layout_mb=%.1f generate_ms=%.0f "
          + "generate_cpu_ms=%.0f heap_used_mb=%.1f max_heap_mb=%d vm_hwm_mb=%.1f rss_anon_mb=%.1f rss_file_mb=%.1f "
          + "java=%s%n", storage, Files.size(file) / 1e6, loadNs / 1e6, loadCpu / 1e6, layoutNs / 1e6,
          layoutCpu / 1e6, DecodeLayouts.bytes(c, m.weights()) / 1e6, genNs / 1e6, genCpu / 1e6,
          heapUsed / 1e6, Runtime.getRuntime().maxMemory() >> 20, status("VmHWM:") / 1e3, status("RssAnon:") / 1e3,
          status("RssFile:") / 1e3, Runtime.version().feature());
    }
  }

  /** A kB figure of /proc/self/status (VmHWM: peak resident set; RssAnon / RssFile: resident now, by kind). */
  private static long status(String key) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static void kernels(int n, int rounds) throws Exception {
    if (!WeightStorage.mappedAvailable()) {
      throw new IllegalStateException("memory-mapped weights need Java 22+");
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int[][] shapes = {{896, 896}, {4864, 896}, {896, 4864}};
    System.out.printf(Locale.ROOT, "WeightStorageBenchmark kernels: 1 thread, kernels %s, Java %s, %d activations "
        + "for the GEMM, best of %d alternating rounds, GFLOP per CPU-second (mapped / heap)%n", Kernels.describe(),
        Runtime.version(), n, rounds);
    SplittableRandom r = new SplittableRandom(1);
    Path dir = Files.createTempDirectory("weight-storage-bench");
    try (Parallel par = new Parallel(1); WeightMemory mapped = WeightStorage.MAPPED.open()) {
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
          FloatTensor heap = FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), w.length);
          FloatTensor control = FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), w.length);
          Path f = dir.resolve(type + "-" + rows + "x" + cols + ".bin");
          Files.write(f, bytes);
          FloatTensor map;
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            map = mapped.tensor(ch, 0, type, w.length);
          }
          Files.delete(f);
          float[][] outs = new float[n][rows];
          double[] matvec = new double[3];
          double[] gemm = new double[3];
          for (int round = 0; round < rounds; round++) {
            for (int side = 0; side < 3; side++) {
              FloatTensor t = side == 0 ? heap : side == 1 ? map : control;
              long c0 = mx.getCurrentThreadCpuTime();
              for (int i = 0; i < 8; i++) {
                Matmul.matvec(par, t, xs[i], outs[i], rows, cols);
              }
              long c1 = mx.getCurrentThreadCpuTime();
              Matmul.matmul(par, t, xs, outs, n, rows, cols);
              long c2 = mx.getCurrentThreadCpuTime();
              matvec[side] = Math.max(matvec[side], 2.0 * rows * cols * 8 / (c1 - c0));
              gemm[side] = Math.max(gemm[side], 2.0 * rows * cols * n / (c2 - c1));
            }
          }
          System.out.printf(Locale.ROOT, "%5d x %-5d %-5s matvec %6.2f / %6.2f = %4.2fx (control %4.2fx)   gemm(%d) "
              + "%6.1f / %6.1f = %4.2fx (control %4.2fx)%n", rows, cols, type, matvec[1], matvec[0],
              matvec[1] / matvec[0], matvec[2] / matvec[0], n, gemm[1], gemm[0], gemm[1] / gemm[0],
              gemm[2] / gemm[0]);
        }
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }
}
