package dev.longshot.vlm.bench;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.llamacpp.LlamaCppProcess;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prefill and decode tokens/s of this runtime against llama.cpp (through {@code de.kherud:llama}, in a forked JVM)
 * on random-weight models with the real shapes of SmolLM2-135M and Qwen2.5-0.5B, in Q8_0 and F32, same thread
 * count, same prompt, same greedy continuation, in one run. llama.cpp's figures are its own "prompt eval" and
 * "eval" timings from its log; ours are timed the same way (prefill = prompt forward, decode = per generated token
 * after the first). Each side runs the same generation {@link #REPEATS} times and reports its best, because this
 * machine is shared and wall-clock figures swing with the load. Models are generated into a temporary directory
 * and deleted afterwards. Huge pages help the heap-held weights: {@code BENCH_JAVA_OPTS=-XX:+UseTransparentHugePages}.
 * Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.DecodeBenchmark [THREADS] [PROMPT_TOKENS] [DECODE_TOKENS]
 * [smollm|qwen|all]}.
 */
public final class DecodeBenchmark {
  private static final Pattern LLAMA_TIMING =
      Pattern.compile("(prompt eval|\\beval) time =\\s+([0-9.]+) ms /\\s+(\\d+) tokens");

  static final int REPEATS = 3;

  private record Speed(double prefillTps, double decodeTps) {
    Speed best(Speed o) {
      return new Speed(Math.max(prefillTps, o.prefillTps), Math.max(decodeTps, o.decodeTps));
    }
  }

  private DecodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int promptTokens = args.length > 1 ? Integer.parseInt(args[1]) : 360;
    int decodeTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    String which = args.length > 3 ? args[3] : "all";
    List<ModelSpec> specs = new ArrayList<>();
    if (!which.equals("qwen")) {
      specs.add(ModelSpec.smolLm2_135m());
    }
    if (!which.equals("smollm")) {
      specs.add(ModelSpec.qwen25_05b());
    }
    System.out.printf(Locale.ROOT, "DecodeBenchmark: %d threads, %d-token prompt, %d decoded tokens, kernels %s, "
        + "Java %s, %d cores, load average %.1f%n", threads, promptTokens, decodeTokens, Kernels.describe(),
        Runtime.version(), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("best of " + REPEATS + " runs per side");
    System.out.println("model                 type  | prefill tok/s ours  llama.cpp  ratio | decode tok/s ours  "
        + "llama.cpp  ratio");
    Path dir = Files.createTempDirectory("longshot-vlm-bench");
    Thread cleanup = new Thread(() -> deleteAll(dir));
    Runtime.getRuntime().addShutdownHook(cleanup); // also when interrupted: the models are large
    try {
      for (ModelSpec spec : specs) {
        for (int type : new int[] {TensorEncoding.Q8_0, TensorEncoding.F32}) {
          Path file = dir.resolve(spec.arch() + "-" + spec.dim() + "-" + type + ".gguf");
          new RandomModel(spec, 1).writeGguf(file, type);
          String name = spec.dim() == 576 ? "SmolLM2-135M-shape" : "Qwen2.5-0.5B-shape";
          String typeName = type == TensorEncoding.F32 ? "F32" : "Q8_0";
          String prompt;
          Speed ours;
          try (TextGenerator g = TextGenerator.load(file, new VlmSettings(file, threads, 2048, decodeTokens))) {
            prompt = promptOf(g, promptTokens);
            ours = measureOurs(g, prompt, decodeTokens);
          }
          Speed theirs = measureLlamaCpp(file, threads, prompt, decodeTokens);
          System.out.printf(Locale.ROOT, "%-21s %-5s | %18.1f %10.1f %6.2f | %17.1f %10.1f %6.2f%n", name, typeName,
              ours.prefillTps(), theirs.prefillTps(), ours.prefillTps() / theirs.prefillTps(), ours.decodeTps(),
              theirs.decodeTps(), ours.decodeTps() / theirs.decodeTps());
          Files.delete(file);
        }
      }
    } finally {
      deleteAll(dir);
    }
    System.out.printf(Locale.ROOT, "load average at the end %.1f%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
    } catch (java.io.IOException e) {
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

  static Speed measureOurs(TextGenerator g, String prompt, int decodeTokens) {
    int[] ids = g.encodePrompt(prompt);
    GenerationSettings s = GenerationSettings.greedy(decodeTokens);
    g.generate(ids, s.withMaxTokens(Math.min(8, decodeTokens)), x -> { }, null); // warm-up (JIT)
    Speed best = new Speed(0, 0);
    for (int rep = 0; rep < REPEATS; rep++) {
      long[] stamps = new long[decodeTokens];
      int[] n = {0};
      long start = System.nanoTime();
      g.generate(ids, s, x -> { }, (t, l) -> stamps[n[0]++] = System.nanoTime());
      double prefill = (stamps[0] - start) / 1e9;
      double decode = (stamps[n[0] - 1] - stamps[0]) / 1e9;
      best = best.best(new Speed(ids.length / prefill, (n[0] - 1) / decode));
    }
    return best;
  }

  static Speed measureLlamaCpp(Path file, int threads, String prompt, int decodeTokens) throws Exception {
    List<String> prompts = java.util.Collections.nCopies(REPEATS, prompt); // no prompt cache: each one runs in full
    List<LlamaCppProcess.Result> all = LlamaCppProcess.run(file, threads, decodeTokens, 0, prompts, 1800);
    LlamaCppProcess.Result r = all.get(all.size() - 1); // the last result carries the whole log
    double prefill = 0;
    double decode = 0;
    Matcher m = LLAMA_TIMING.matcher(r.log());
    while (m.find()) {
      double tps = Integer.parseInt(m.group(3)) / (Double.parseDouble(m.group(2)) / 1000);
      if (m.group(1).equals("prompt eval")) {
        prefill = Math.max(prefill, tps);
      } else {
        decode = Math.max(decode, tps);
      }
    }
    return new Speed(prefill, decode);
  }
}
