package dev.longshot.vlm.bench;

import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.GenerationStats;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.kv.AttentionScores;
import dev.longshot.vlm.kv.CompressingKvCachePolicy;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.model.Transformer;
import dev.longshot.vlm.multimodal.Modality;
import dev.longshot.vlm.multimodal.PromptLayout;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import dev.longshot.vlm.testmodel.TestVocab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * LOOK-M KV compression (issue 18) against the full cache and the baselines, in one run:
 * <ol>
 *   <li>the cost of accumulating scores during prefill: the same dense prefill with and without the
 *       {@link AttentionScores} observer (LOOK-M: text queries; H2O: every query), on one thread, best of
 *       {@link #REPEATS} alternating runs, printed as a ratio to the unobserved prefill in thread CPU time (which
 *       the shared machine's load does not inflate) and in wall time;</li>
 *   <li>per policy and budget over {@code PROMPTS} synthetic multimodal prompts (text, images of random token ids
 *       marked as vision by the layout, a text question): KV bytes after compression vs the full cache, decode
 *       tokens/s vs the full cache's (wall time from {@link GenerationStats}, and per second of the calling thread's CPU
 *       time, which is the whole cost with THREADS = 1 and does not depend on the machine's load), and how many prompts give the same greedy
 *       answer ({@code ANSWER_TOKENS} tokens) as the full cache.</li>
 * </ol>
 * Models: the tiny test shape and SmolLM2-135M's real shape (random weights, Q8_0), or the user's model with
 * {@code --model PATH} (its own weights; still random-token "images", since the runtime has no vision input yet).
 * Random weights show memory and speed faithfully, and exercise every code path; they cannot show answer quality:
 * their attention is diffuse and their greedy answers are near-ties, so agreement on them is a lower bound on what
 * a trained model keeps. Run: {@code bench/run vlm-runtime dev.longshot.vlm.bench.KvCompressionBenchmark [THREADS]
 * [PROMPTS] [ANSWER_TOKENS] [PROMPT_TOKENS] [attention|overhead|tiny|smollm|all|--model PATH]} ({@code attention}:
 * only the attention-only overhead figures, which every run prints first; {@code overhead}: those plus the whole
 * prefill of the SmolLM2-135M shape with and without the observers, which answers the "at most 5 % of
 * dense prefill" with a verdict line).
 */
public final class KvCompressionBenchmark {
  static final int REPEATS = 5;
  private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
  private static final double[] BUDGETS = {0.2, 0.1};

  private KvCompressionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int answerTokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int promptTokens = args.length > 3 ? Integer.parseInt(args[3]) : 1900;
    String which = args.length > 4 ? args[4] : "all";
    System.out.printf(Locale.ROOT, "KvCompressionBenchmark: %d threads, %d prompts, %d-token greedy answers, kernels "
        + "%s, Java %s, %d cores, load average %.1f%n", threads, prompts, answerTokens, Kernels.describe(),
        Runtime.version(), Runtime.getRuntime().availableProcessors(), load());
    attentionOverhead("SmolLM2-135M attention (9 heads, 3 kv heads, d 64)", new AttentionShape(9, 3, 64), promptTokens);
    attentionOverhead("Qwen2.5-0.5B attention (14 heads, 2 kv heads, d 64)", new AttentionShape(14, 2, 64),
        promptTokens);
    if (which.equals("attention")) {
      return;
    }
    Path dir = Files.createTempDirectory("longshot-kv-bench");
    try {
      if (which.equals("overhead")) { // the whole-prefill cost of the observer on a real-shaped model, nothing else
        Path file = dir.resolve("smollm.gguf");
        new RandomModel(ModelSpec.smolLm2_135m(), 1).writeGguf(file, TensorEncoding.Q8_0);
        LoadedModel model = LoadedModel.load(file);
        int n = Math.min(promptTokens, model.config().contextLength());
        PromptLayout layout = layout(n, 16, 0);
        System.out.println("== SmolLM2-135M shape Q8_0 (random), whole prefill");
        scoreOverhead(model, layout, new SplittableRandom(100).ints(layout.length(), 6,
            model.config().vocabSize()).toArray());
        return;
      }
      if (which.equals("--model")) {
        Path model = Path.of(args[5]);
        measure("user model " + model.getFileName(), model, threads, prompts, answerTokens, promptTokens, 16);
        return;
      }
      if (!which.equals("smollm")) {
        ModelSpec tiny = new ModelSpec("llama", 64, 96, 2, 4, 2, TestVocab.MIN_SIZE, 2048, 10000f, false);
        Path file = dir.resolve("tiny.gguf");
        new RandomModel(tiny, 1).writeGguf(file, TensorEncoding.F32);
        measure("tiny (64 dim, 2 layers, GQA 4:2) F32", file, threads, prompts, answerTokens, promptTokens, 16);
      }
      if (!which.equals("tiny")) {
        Path file = dir.resolve("smollm.gguf");
        new RandomModel(ModelSpec.smolLm2_135m(), 1).writeGguf(file, TensorEncoding.Q8_0);
        measure("SmolLM2-135M shape Q8_0 (random)", file, threads, prompts, answerTokens, promptTokens, 16);
      }
    } finally {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.out.printf(Locale.ROOT, "load average at the end %.1f%n", load());
  }

  private static void measure(String name, Path file, int threads, int prompts, int answerTokens, int promptTokens,
      int grid) throws Exception {
    System.out.println();
    System.out.println("== " + name);
    LoadedModel model = LoadedModel.load(file);
    int context = Math.min(promptTokens + answerTokens + 8, model.config().contextLength());
    List<PromptLayout> layouts = new ArrayList<>();
    List<int[]> ids = new ArrayList<>();
    for (int p = 0; p < prompts; p++) {
      PromptLayout layout = layout(context - answerTokens - 8, grid, p);
      layouts.add(layout);
      ids.add(new SplittableRandom(100 + p).ints(layout.length(), 6, model.config().vocabSize()).toArray());
    }
    scoreOverhead(model, layouts.get(0), ids.get(0));
    VlmSettings settings = new VlmSettings(file, threads, context, answerTokens);
    try (TextGenerator g = TextGenerator.load(file, settings); Parallel par = new Parallel(threads)) {
      GenerationSettings greedy = GenerationSettings.greedy(answerTokens);
      g.generate(ids.get(0), null, layouts.get(0), greedy.withMaxTokens(4), s -> { }, null); // warm-up
      List<List<Integer>> fullAnswers = new ArrayList<>();
      Row full = new Row();
      for (int p = 0; p < prompts; p++) {
        fullAnswers.add(answer(g, ids.get(p), layouts.get(p), greedy, full));
      }
      System.out.printf(Locale.ROOT, "prompt %d tokens (%d vision), full cache: kv_bytes %d, decode %.1f tok/s wall, "
          + "%.1f tok/s of CPU%n", layouts.get(0).length(), layouts.get(0).visionTokens(), full.kvBytes / prompts,
          full.decodeTps(), full.decodeCpuTps());
      System.out.println("policy  budget | kv_bytes  vs full | decode tok/s wall  vs full | tok/s of CPU  vs full "
          + "| same greedy answer | mean tokens equal before the first difference");
      for (double budget : BUDGETS) {
        for (KvPolicy kind : new KvPolicy[] {KvPolicy.LOOKM, KvPolicy.H2O, KvPolicy.RECENT}) {
          g.setCachePolicy(new CompressingKvCachePolicy(kind, budget, 0.5, KvMerge.PIVOTAL, par));
          Row row = new Row();
          int same = 0;
          int prefix = 0;
          for (int p = 0; p < prompts; p++) {
            List<Integer> a = answer(g, ids.get(p), layouts.get(p), greedy, row);
            same += a.equals(fullAnswers.get(p)) ? 1 : 0;
            prefix += commonPrefix(a, fullAnswers.get(p));
          }
          System.out.printf(Locale.ROOT, "%-7s %6.2f | %9d %6.1f %% | %17.1f %6.2fx | %12.1f %6.2fx | %d of %d | %.1f%n",
              kind.configName(), budget, row.kvBytes / prompts, 100.0 * row.kvBytes / full.kvBytes, row.decodeTps(),
              row.decodeTps() / full.decodeTps(), row.decodeCpuTps(), row.decodeCpuTps() / full.decodeCpuTps(), same,
              prompts, (double) prefix / prompts);
        }
      }
      g.setCachePolicy(KvCachePolicy.dense());
    }
  }

  private static int commonPrefix(List<Integer> a, List<Integer> b) {
    int n = 0;
    while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
      n++;
    }
    return n;
  }

  /** Totals over the prompts of one policy. */
  private static final class Row {
    long kvBytes;
    long decodeNanos;
    long decodeTokens;
    long decodeCpuNanos;
    long decodeCpuSteps;

    double decodeTps() {
      return decodeTokens / (decodeNanos / 1e9);
    }

    /** Decode steps per second of the calling thread's CPU time (the whole cost with one thread). */
    double decodeCpuTps() {
      return decodeCpuSteps / (decodeCpuNanos / 1e9);
    }
  }

  private static List<Integer> answer(TextGenerator g, int[] ids, PromptLayout layout, GenerationSettings s,
      Row row) {
    List<Integer> tokens = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    g.generate(ids, null, layout, s, x -> { }, (t, l) -> {
      tokens.add(t);
      cpu.add(MX.getCurrentThreadCpuTime());
    });
    GenerationStats st = g.lastStats();
    row.kvBytes += st.kvBytes();
    row.decodeNanos += st.decodeNanos();
    row.decodeTokens += st.decodeTokens();
    row.decodeCpuNanos += cpu.get(cpu.size() - 1) - cpu.get(0);
    row.decodeCpuSteps += cpu.size() - 1;
    return tokens;
  }

  /**
   * Dense prefill of one prompt with no observer, LOOK-M's and H2O's, one thread, {@link #REPEATS} rounds in rotating
   * order after a warm-up round; prints the best times, the median and best of the per-round CPU-time ratios, and a
   * verdict line for the goal (LOOK-M's observer costs at most 5 % of dense prefill, median ratio).
   */
  private static void scoreOverhead(LoadedModel model, PromptLayout layout, int[] ids) {
    ModelConfig c = model.config();
    boolean[] text = new boolean[layout.length()];
    for (int i = 0; i < text.length; i++) {
      text[i] = layout.modalityAt(i) == Modality.TEXT;
    }
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    long[] bestCpu = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    double[][] ratios = new double[2][REPEATS];
    try (Parallel par = new Parallel(1)) { // one thread: its CPU time is the whole cost, whatever the load
      Transformer t = new Transformer(c, model.weights(), par);
      for (int rep = 0; rep <= REPEATS; rep++) { // the first round warms up
        long[] cpuOf = new long[3];
        for (int v = 0; v < 3; v++) {
          int variant = (v + rep) % 3; // rotate the order so no variant always runs first
          AttentionObserver obs = switch (variant) {
            case 1 -> new AttentionScores(c.layers(), t.shape(), text);
            case 2 -> new AttentionScores(c.layers(), t.shape(), null);
            default -> null;
          };
          KvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), ids.length);
          long t0 = System.nanoTime();
          long cpu0 = MX.getCurrentThreadCpuTime();
          for (int start = 0; start < ids.length; start += 256) {
            int n = Math.min(256, ids.length - start);
            t.forward(Arrays.copyOfRange(ids, start, start + n), n, start, cache, AttentionStrategies.dense(), obs,
                start + n == ids.length);
          }
          long dt = System.nanoTime() - t0;
          cpuOf[variant] = MX.getCurrentThreadCpuTime() - cpu0;
          if (rep > 0) {
            best[variant] = Math.min(best[variant], dt);
            bestCpu[variant] = Math.min(bestCpu[variant], cpuOf[variant]);
          }
        }
        if (rep > 0) {
          ratios[0][rep - 1] = (double) cpuOf[1] / cpuOf[0];
          ratios[1][rep - 1] = (double) cpuOf[2] / cpuOf[0];
        }
      }
    }
    Arrays.sort(ratios[0]);
    Arrays.sort(ratios[1]);
    double lookm = ratios[0][REPEATS / 2];
    System.out.printf(Locale.ROOT, "score accumulation during a %d-token prefill, 1 thread, %d rounds: dense %.0f ms "
        + "CPU best (%.0f wall); + lookm scores (text queries): median %.3fx, best-of %.3fx (wall %.3fx); + h2o "
        + "scores (all queries): median %.3fx, best-of %.3fx (wall %.3fx)%n", ids.length, REPEATS, bestCpu[0] / 1e6,
        best[0] / 1e6, lookm, (double) bestCpu[1] / bestCpu[0], (double) best[1] / best[0], ratios[1][REPEATS / 2],
        (double) bestCpu[2] / bestCpu[0], (double) best[2] / best[0]);
    System.out.printf(Locale.ROOT, "verdict: LOOK-M score accumulation costs %+.1f %% of dense prefill CPU (median of "
        + "%d per-round ratios; spread %.3fx..%.3fx); goal <= 5 %%: %s%n", (lookm - 1) * 100, REPEATS, ratios[0][0],
        ratios[0][REPEATS - 1], lookm <= 1.05 ? "met" : "not met");
  }

  /**
   * The observer's cost against the attention alone (one layer, random post-RoPE q/k/v, the prompt in 256-token
   * batches as {@code TextGenerator} prefills), 1 thread, thread CPU time, {@code ROUNDS} rounds in rotating order;
   * prints the median and the best of the per-round ratios. Attention is only part of a prefill (the matmuls come on
   * top), so this ratio bounds the observer's share of a whole prefill from above.
   */
  private static void attentionOverhead(String name, AttentionShape shape, int tokens) {
    PromptLayout layout = layout(tokens, 16, 0);
    int n = layout.length();
    boolean[] text = new boolean[n];
    for (int i = 0; i < n; i++) {
      text[i] = layout.modalityAt(i) == Modality.TEXT;
    }
    SplittableRandom r = new SplittableRandom(7);
    int d = shape.headDim();
    float[][] q = new float[n][shape.heads() * d];
    float[][] k = new float[n][shape.kvHeads() * d];
    float[][] v = new float[n][shape.kvHeads() * d];
    for (int t = 0; t < n; t++) {
      for (float[] x : new float[][] {q[t], k[t], v[t]}) {
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (r.nextDouble() * 2 - 1);
        }
      }
    }
    int rounds = 11;
    double[][] ratios = new double[2][rounds];
    long[] cpuBest = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    try (Parallel par = new Parallel(1)) {
      for (int round = -1; round < rounds; round++) { // round -1 warms up
        long[] cpu = new long[3];
        for (int i = 0; i < 3; i++) {
          int variant = (i + Math.max(0, round)) % 3;
          AttentionObserver obs = switch (variant) {
            case 1 -> new AttentionScores(1, shape, text);
            case 2 -> new AttentionScores(1, shape, null);
            default -> null;
          };
          KvCache cache = new DenseKvCache(1, shape.kvHeads(), d, n);
          long c0 = MX.getCurrentThreadCpuTime();
          for (int start = 0; start < n; start += 256) {
            int count = Math.min(256, n - start);
            int[] pos = new int[count];
            float[][] qs = new float[count][];
            for (int t = 0; t < count; t++) {
              pos[t] = start + t;
              qs[t] = q[start + t];
              cache.append(0, start + t, k[start + t], v[start + t]);
            }
            new DenseAttention().attend(new PrefillBatch(shape, 0, qs, pos, count, new float[count][q[0].length],
                obs), cache, par);
          }
          cpu[variant] = MX.getCurrentThreadCpuTime() - c0;
        }
        if (round >= 0) {
          ratios[0][round] = (double) cpu[1] / cpu[0];
          ratios[1][round] = (double) cpu[2] / cpu[0];
          for (int i = 0; i < 3; i++) {
            cpuBest[i] = Math.min(cpuBest[i], cpu[i]);
          }
        }
      }
    }
    Arrays.sort(ratios[0]);
    Arrays.sort(ratios[1]);
    System.out.printf(Locale.ROOT, "%s, %d-token prompt (%d text queries), 1 thread, %d rounds: attention alone %.0f ms "
        + "CPU (best); + lookm scores: median %.3fx, best-of %.3fx; + h2o scores (all queries): median %.3fx, "
        + "best-of %.3fx%n", name, n, n - layout.visionTokens(), rounds, cpuBest[0] / 1e6, ratios[0][rounds / 2],
        (double) cpuBest[1] / cpuBest[0], ratios[1][rounds / 2], (double) cpuBest[2] / cpuBest[0]);
  }

  /** About {@code tokens} tokens: a text preamble, images of {@code grid x grid} tokens, a text question. */
  static PromptLayout layout(int tokens, int grid, int seed) {
    int preamble = 64 + 8 * seed;
    int question = 48;
    int images = Math.max(1, (tokens - preamble - question) / (grid * grid + 4));
    PromptLayout.Builder b = PromptLayout.builder().text(preamble);
    for (int i = 0; i < images; i++) {
      b.text(4).vision(i, grid, grid, i * 2000L); // a timestamp marker before each frame
    }
    return b.text(question).build();
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
