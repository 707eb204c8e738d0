package dev.longshot.vlm.bench;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.NativeGemm;
import dev.longshot.vlm.tensor.Parallel;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The prefill product ({@link Matmul#matmul} of {@code n} activations with one weight matrix) on the native GEMM
 * ({@link NativeGemm}: oneDNN) against the Java GEMM ({@link NativeGemm#javaOnly}), alternating in each round, in the
 * projection shapes of SmolLM2-135M, Qwen2.5-0.5B and Qwen2.5-1.5B, per weight type. Prints per side the median wall
 * milliseconds and GFLOP/s, the process CPU seconds per product (all threads, OpenMP's included), and the ratio
 * Java / native of each (above 1: native faster); each timed sample repeats the product until it has run 200 ms, so
 * the CPU clock's tick does not matter. Random weights (seed 1), heap tensors. Run: {@code bench/run vlm-runtime
 * dev.longshot.vlm.bench.NativeGemmBenchmark [THREADS] [TOKENS] [ROUNDS] [smollm,qwen05,qwen15] [q8_0,q4_0,...]}.
 *
 * <p>{@code ... NativeGemmBenchmark model THREADS PROMPT_TOKENS MODELS TYPES ROUNDS}: the whole prefill of a
 * random-weight GGUF model in a real shape ({@link DecodeBenchmark}'s files, memory-mapped), native and Java GEMM
 * alternating per round in one JVM: prefill tokens/s (wall, median) and per process CPU second, their ratio, and the
 * CPU the process burns in the second after the last native prefill (OpenMP threads left spinning would show here).
 */
public final class NativeGemmBenchmark {
  private NativeGemmBenchmark() {}

  /** rows x cols of each model's projections: q/o, k/v, gate/up, down. */
  private static int[][] shapes(String model) {
    return switch (model) {
      case "smollm" -> new int[][] {{576, 576}, {192, 576}, {1536, 576}, {576, 1536}};
      case "qwen05" -> new int[][] {{896, 896}, {128, 896}, {4864, 896}, {896, 4864}};
      case "qwen15" -> new int[][] {{1536, 1536}, {256, 1536}, {8960, 1536}, {1536, 8960}};
      default -> throw new IllegalArgumentException("unknown shape set " + model + " (smollm, qwen05, qwen15)");
    };
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("model")) {
      model(args);
      return;
    }
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 360;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String[] models = (args.length > 3 ? args[3] : "smollm,qwen05,qwen15").split(",");
    GgmlType[] types = Arrays.stream((args.length > 4 ? args[4] : "q8_0,q4_0,q4_k,q6_k,f32").split(","))
        .map(s -> GgmlType.valueOf(s.toUpperCase(Locale.ROOT))).toArray(GgmlType[]::new);
    System.out.printf(Locale.ROOT, "NativeGemmBenchmark: %d threads, %d activations, %d rounds; native: %s%n", threads,
        n, rounds, NativeGemm.status());
    SplittableRandom r = new SplittableRandom(1);
    try (Parallel par = new Parallel(threads)) {
      for (String model : models) {
        for (int[] shape : shapes(model)) {
          int rows = shape[0];
          int cols = shape[1];
          float[] w = BenchData.uniform(r, rows * cols);
          float[][] xs = BenchData.uniformRows(r, n, cols);
          for (GgmlType type : types) {
            if (!BenchData.fits(type, cols)) {
              continue;
            }
            FloatTensor t = BenchData.Weights.of(w, type).tensor();
            float[][] outs = new float[n][rows];
            Runnable nat = () -> Matmul.matmul(par, t, xs, outs, n, rows, cols);
            Runnable java = () -> NativeGemm.javaOnly(nat);
            nat.run(); // warm-up: JIT, primitive creation
            java.run();
            double[][] ns = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            for (int i = 0; i < rounds; i++) {
              for (int side = 0; side < 2; side++) {
                Runnable body = side == 0 ? java : nat;
                long w0 = System.nanoTime();
                long c0 = cpuNanos();
                int reps = 0;
                do {
                  body.run();
                  reps++;
                } while (System.nanoTime() - w0 < 200_000_000L);
                ns[side][i] = (System.nanoTime() - w0) / 1e6 / reps;
                cpu[side][i] = (cpuNanos() - c0) / 1e6 / reps;
              }
            }
            double flop = 2.0 * rows * cols * n;
            double jw = median(ns[0]);
            double nw = median(ns[1]);
            double jc = median(cpu[0]);
            double nc = median(cpu[1]);
            System.out.printf(Locale.ROOT, "%-6s %5d x %-5d %-5s java %8.2f ms %6.1f GFLOP/s cpu %8.2f ms | native %8.2f "
                + "ms %6.1f GFLOP/s cpu %8.2f ms | java/native wall %5.2fx cpu %5.2fx%n", model, rows, cols, type, jw,
                flop / jw / 1e6, jc, nw, flop / nw / 1e6, nc, jw / nw, jc / nc);
          }
        }
      }
    }
  }

  private static void model(String[] args) throws Exception {
    int threads = Integer.parseInt(args[1]);
    int promptTokens = Integer.parseInt(args[2]);
    String[] models = args[3].split(",");
    String[] types = args[4].split(",");
    int rounds = Integer.parseInt(args[5]);
    System.out.printf(Locale.ROOT, "NativeGemmBenchmark model: %d threads, %d-token prompt, %d rounds; native: %s%n",
        threads, promptTokens, rounds, NativeGemm.status());
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("longshot-native-gemm-bench");
    try {
      for (String name : models) {
        var spec = dev.longshot.vlm.testmodel.ModelSpec.named(name);
        for (String type : types) {
          var model = new dev.longshot.vlm.testmodel.RandomModel(spec, 1);
          java.util.function.ToIntFunction<String> matrixTypes = switch (type) {
            case "q8_0" -> n -> dev.longshot.vlm.testmodel.TensorEncoding.Q8_0;
            case "q4_0" -> n -> dev.longshot.vlm.testmodel.TensorEncoding.Q4_0;
            case "f32" -> n -> dev.longshot.vlm.testmodel.TensorEncoding.F32;
            case "q4_k_m" -> model.q4KmTypes();
            default -> throw new IllegalArgumentException("unknown type " + type + " (q8_0, q4_0, f32, q4_k_m)");
          };
          java.nio.file.Path file = dir.resolve(name + "-" + type + ".gguf");
          model.writeGguf(file, matrixTypes);
          try (var g = dev.longshot.vlm.TextGenerator.load(file, new dev.longshot.config.VlmSettings(file, threads,
              4096, 2))) {
            int[] ids = g.encodePrompt(DecodeBenchmark.promptOf(g, promptTokens));
            double[][] tps = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            var settings = dev.longshot.vlm.sample.GenerationSettings.greedy(1);
            for (int side = 0; side < 2; side++) { // warm-up both
              Runnable once = () -> g.generate(ids, settings, x -> { }, null);
              if (side == 0) {
                NativeGemm.javaOnly(once);
              } else {
                once.run();
              }
            }
            for (int i = 0; i < rounds; i++) {
              for (int side = 0; side < 2; side++) {
                long[] first = {0};
                Runnable once = () -> g.generate(ids, settings, x -> { }, (t, l) -> {
                  if (first[0] == 0) {
                    first[0] = System.nanoTime();
                  }
                });
                long c0 = cpuNanos();
                long w0 = System.nanoTime();
                if (side == 0) {
                  NativeGemm.javaOnly(once);
                } else {
                  once.run();
                }
                tps[side][i] = ids.length / ((first[0] - w0) / 1e9);
                cpu[side][i] = ids.length / ((cpuNanos() - c0) / 1e9);
              }
            }
            long idle0 = cpuNanos();
            Thread.sleep(1000);
            double idleMs = (cpuNanos() - idle0) / 1e6;
            System.out.printf(Locale.ROOT, "%-7s %-6s prefill tok/s java %7.1f (%7.1f per CPU-s) | native %7.1f (%7.1f "
                + "per CPU-s) | native/java wall %5.2fx cpu %5.2fx | CPU in the idle second after: %.1f ms%n", name,
                type, median(tps[0]), median(cpu[0]), median(tps[1]), median(cpu[1]), median(tps[1]) / median(tps[0]),
                median(cpu[1]) / median(cpu[0]), idleMs);
          }
          java.nio.file.Files.delete(file);
        }
      }
    } finally {
      try (var s = java.nio.file.Files.list(dir)) {
        for (var f : s.toList()) {
          java.nio.file.Files.deleteIfExists(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  /** CPU nanoseconds of all this process's threads (OpenMP's included), from the scheduler's per-thread counters. */
  static long cpuNanos() {
    long sum = 0;
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (var t : tasks.toList()) {
        try {
          sum += Long.parseLong(java.nio.file.Files.readString(t.resolve("schedstat")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
          // a thread that ended while listed
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return sum;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
