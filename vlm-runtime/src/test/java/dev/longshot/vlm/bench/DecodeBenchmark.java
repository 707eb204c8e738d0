package dev.longshot.vlm.bench;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.testmodel.BlockPacker;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prefill and decode tokens/s of this runtime against llama.cpp as its users get it: the npm package
 * {@code node-llama-cpp} (pinned in {@code bench/node-llama-cpp/install}, installed outside the repository on first
 * use, benchmark-only), which ships llama.cpp's prebuilt CPU variants and loads the best one for this CPU at run
 * time. Both sides get the same random-weight GGUF file (real shapes of SmolLM2-135M, Qwen2.5-0.5B and Qwen2.5-1.5B),
 * the same prompt token ids, the same thread count and greedy decoding. Prefill = prompt length / time to the first
 * generated token; decode = tokens after the first / their time. Each side runs {@code REPEATS} times after a
 * warm-up; the table shows medians with the min-max spread, and ratios of the medians. Decode also shows the
 * effective weight bandwidth (GGUF weight bytes read per token x tokens/s) against this machine's copy bandwidth
 * measured in the same run (2 threads, {@code System.arraycopy} of 256 MiB blocks, bytes read plus written).
 * Without node/npm the peer is skipped with a note. Models are generated into a temporary directory and deleted.
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.DecodeBenchmark [THREADS] [PROMPT_TOKENS]
 * [DECODE_TOKENS] [MODELS: all|smollm,qwen05,qwen15] [TYPES: all|q8_0,q4_0,f32,q4_k,q6_k,q4_k_m] [REPEATS]}; {@code all} types
 * is q8_0,q4_0,f32; the K-quant names put every matrix whose rows fill 256-element blocks in that type and the others
 * in llama.cpp's fallback (Q4_K: Q5_0, Q6_K: Q8_0), {@code q4_k_m} mixes them as llama.cpp's Q4_K_M does.
 */
public final class DecodeBenchmark {
  private static final Pattern RUN =
      Pattern.compile("run prefill_tps=([0-9.]+) decode_tps=([0-9.]+) prompt=(\\d+) decoded=(\\d+)");

  record Speeds(double[] prefill, double[] decode) {
    static String spread(double[] v) {
      return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", median(v), Arrays.stream(v).min().orElse(0),
          Arrays.stream(v).max().orElse(0));
    }
  }

  private DecodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int promptTokens = args.length > 1 ? Integer.parseInt(args[1]) : 360;
    int decodeTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    String models = args.length > 3 ? args[3] : "smollm,qwen05";
    String types = args.length > 4 ? args[4] : "all";
    int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 3;
    List<ModelSpec> specs = new ArrayList<>();
    for (String m : (models.equals("all") ? String.join(",", ModelSpec.realShapeNames()) : models).split(",")) {
      specs.add(ModelSpec.named(m)); // real contexts (8k, 32k): a 2k prompt plus its decoded tokens fits, as it would
    }
    List<String> typeNames = List.of((types.equals("all") ? "q8_0,q4_0,f32" : types).split(","));
    Path root = Path.of(System.getProperty("user.dir"));
    while (root != null && !Files.exists(root.resolve("bench/node-llama-cpp/peer.mjs"))) {
      root = root.getParent();
    }
    Path peerDir = installPeer(root);
    double copyGbs = copyBandwidth(threads);
    System.out.printf(Locale.ROOT, "DecodeBenchmark: %d threads, %d-token prompt, %d decoded tokens, %d runs per side "
        + "(median [min-max]), kernels %s, Java %s, %d cores, load average %.1f%n", threads, promptTokens,
        decodeTokens, repeats, Kernels.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        load());
    System.out.printf(Locale.ROOT, "copy bandwidth (%d threads, read+write): %.1f GB/s%n", threads, copyGbs);
    System.out.println("peer: " + (peerDir == null ? "skipped (npm/node not found)" : "node-llama-cpp in " + peerDir));
    Path dir = Files.createTempDirectory("longshot-vlm-bench");
    Thread cleanup = new Thread(() -> deleteAll(dir));
    Runtime.getRuntime().addShutdownHook(cleanup); // also when interrupted: the models are large
    List<String> table = new ArrayList<>();
    try {
      for (ModelSpec spec : specs) {
        for (String typeName : typeNames) {
          RandomModel model = new RandomModel(spec, 1);
          // the K-quant names: that type wherever rows fill 256-element blocks, llama.cpp's fallback elsewhere
          java.util.function.ToIntFunction<String> matrixTypes = switch (typeName) {
            case "q8_0" -> name -> TensorEncoding.Q8_0;
            case "q4_0" -> name -> TensorEncoding.Q4_0;
            case "f32" -> name -> TensorEncoding.F32;
            case "q4_k" -> model.kQuantTypes(BlockPacker.Q4_K);
            case "q6_k" -> model.kQuantTypes(BlockPacker.Q6_K);
            case "q4_k_m" -> model.q4KmTypes();
            default -> throw new IllegalArgumentException("unknown type " + typeName
                + " (q8_0, q4_0, f32, q4_k, q6_k, q4_k_m)");
          };
          Path file = dir.resolve(spec.arch() + "-" + spec.dim() + "-" + typeName + ".gguf");
          model.writeGguf(file, matrixTypes);
          long weightBytes = Files.size(file);
          String name = shapeName(spec);
          int[] ids;
          Speeds ours;
          try (TextGenerator g = TextGenerator.load(file, new VlmSettings(file, threads, 4096, decodeTokens))) {
            ids = g.encodePrompt(promptOf(g, promptTokens));
            ours = measureOurs(g, ids, decodeTokens, repeats);
          }
          Speeds theirs = peerDir == null ? null : measurePeer(root, peerDir, file, threads, ids, decodeTokens,
              repeats, dir);
          String row = String.format(Locale.ROOT, "| %s, %s | %s | %s | %s | %s | %s | %s | %.1f GB/s = %.2f of copy |",
              name, typeName.toUpperCase(Locale.ROOT), Speeds.spread(ours.prefill()),
              theirs == null ? "-" : Speeds.spread(theirs.prefill()),
              theirs == null ? "-" : ratio(ours.prefill(), theirs.prefill()), Speeds.spread(ours.decode()),
              theirs == null ? "-" : Speeds.spread(theirs.decode()),
              theirs == null ? "-" : ratio(ours.decode(), theirs.decode()),
              weightBytes * median(ours.decode()) / 1e9, weightBytes * median(ours.decode()) / 1e9 / copyGbs);
          System.out.println(row);
          table.add(row);
          Files.delete(file);
        }
      }
    } finally {
      deleteAll(dir);
    }
    System.out.println();
    System.out.println("| shape, type | prefill tok/s ours | llama.cpp | ratio | decode tok/s ours | llama.cpp | ratio "
        + "| ours decode weight bandwidth |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    table.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "load average at the end %.1f%n", load());
  }

  private static String shapeName(ModelSpec spec) {
    return switch (spec.dim()) {
      case 576 -> "SmolLM2-135M";
      case 896 -> "Qwen2.5-0.5B";
      case 1536 -> "Qwen2.5-1.5B";
      default -> spec.arch() + "-" + spec.dim();
    };
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String ratio(double[] ours, double[] theirs) {
    return String.format(Locale.ROOT, "%.2f", median(ours) / median(theirs));
  }

  /** Copy bandwidth in GB/s (bytes read plus bytes written), {@code threads} threads copying 256 MiB each. */
  static double copyBandwidth(int threads) throws InterruptedException {
    int n = 1 << 26; // 64 Mi floats = 256 MiB per array
    float[][] src = new float[threads][n];
    float[][] dst = new float[threads][n];
    for (float[] a : src) {
      Arrays.fill(a, 1f);
    }
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
      Thread[] ts = new Thread[threads];
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int i = t;
        ts[t] = new Thread(() -> System.arraycopy(src[i], 0, dst[i], 0, n));
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      best = Math.max(best, 2.0 * 4 * n * threads / ((System.nanoTime() - start) / 1e9) / 1e9);
    }
    return best;
  }

  private static Path installPeer(Path root) throws IOException, InterruptedException {
    if (root == null) {
      System.out.println("bench/node-llama-cpp not found: llama.cpp peer skipped");
      return null;
    }
    Process p = new ProcessBuilder(root.resolve("bench/node-llama-cpp/install").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    if (rc == 3) {
      return null;
    }
    if (rc != 0) {
      throw new IllegalStateException("bench/node-llama-cpp/install failed with exit code " + rc);
    }
    return Path.of(out);
  }

  private static void deleteAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** Deterministic English-like text that encodes to exactly {@code tokens} tokens (BOS included). */
  static String promptOf(TextGenerator g, int tokens) {
    String[] words = {"the", "answer", "is", "on", "a", "wall", "in", "the", "video", "at", "minute", "seven",
        "where", "an", "arrow", "points", "to", "red", "text", "and", "numbers", "1234"};
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (g.encodePrompt(sb + " " + words[i % words.length]).length <= tokens) {
      sb.append(sb.isEmpty() ? "" : " ").append(words[i++ % words.length]);
    }
    return sb.toString();
  }

  static Speeds measureOurs(TextGenerator g, int[] ids, int decodeTokens, int repeats) {
    GenerationSettings s = GenerationSettings.greedy(decodeTokens);
    g.generate(ids, s.withMaxTokens(Math.min(8, decodeTokens)), x -> { }, null); // warm-up (JIT)
    double[] prefill = new double[repeats];
    double[] decode = new double[repeats];
    for (int rep = 0; rep < repeats; rep++) {
      long[] stamps = new long[decodeTokens];
      int[] n = {0};
      long start = System.nanoTime();
      g.generate(ids, s, x -> { }, (t, l) -> stamps[n[0]++] = System.nanoTime());
      prefill[rep] = ids.length / ((stamps[0] - start) / 1e9);
      decode[rep] = (n[0] - 1) / ((stamps[n[0] - 1] - stamps[0]) / 1e9);
    }
    return new Speeds(prefill, decode);
  }

  static Speeds measurePeer(Path root, Path peerDir, Path model, int threads, int[] ids, int decodeTokens,
      int repeats, Path tmp) throws IOException, InterruptedException {
    Path tokens = tmp.resolve("prompt-tokens.txt");
    Files.writeString(tokens, Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    // one extra run first: the peer's warm-up, like ours
    Process p = new ProcessBuilder("node", root.resolve("bench/node-llama-cpp/peer.mjs").toString(),
        peerDir.toString(), model.toString(), Integer.toString(threads), Integer.toString(decodeTokens),
        Integer.toString(repeats + 1), tokens.toString()).redirectErrorStream(true).start();
    List<double[]> runs = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        log.append(line).append('\n');
        Matcher m = RUN.matcher(line);
        if (m.find()) {
          runs.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        } else if (line.startsWith("variant ")) {
          System.out.println("peer " + line);
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || runs.size() != repeats + 1) {
      throw new IllegalStateException("node-llama-cpp peer failed:\n" + log);
    }
    runs.remove(0);
    return new Speeds(runs.stream().mapToDouble(x -> x[0]).toArray(), runs.stream().mapToDouble(x -> x[1]).toArray());
  }
}
