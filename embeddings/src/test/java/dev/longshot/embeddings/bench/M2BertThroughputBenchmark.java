package dev.longshot.embeddings.bench;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.config.EmbeddingSettings;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.embeddings.m2bert.M2BertModel;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import dev.longshot.vlm.bench.FmaPeak;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Issue 20 item 5: M2-BERT (80M shape: 768 wide, 12 layers, filter order 128, 4 Monarch blocks; random weights, since
 * the released checkpoints cannot be downloaded here, and speed does not depend on the values) against the bundled
 * BGE-small with half-overlapping parallel windows (the default) at 2k/8k/32k tokens. Every row runs in its own
 * forked JVM (same class path, {@code --xmx} heap), so its peak resident memory ({@code VmHWM}, heap and native: ONNX
 * Runtime allocates natively) is that row's alone. Per row: passages/s (wall), process CPU seconds per passage
 * (steadier than wall on a shared machine), peak RSS, peak heap (sum of the heap pools' peaks, garbage included), and
 * the growth factor of CPU s per passage per 4x length (4 = linear, 16 = quadratic). M2-BERT rows also print the CPU
 * split over the forward's steps ({@link M2BertModel.Stage}) and the matrix products' FLOPs against the FMA peak of one
 * core measured at the start of the same run (a register-only Vector API FMA loop).
 *
 * <p>{@code bench/run embeddings dev.longshot.embeddings.bench.M2BertThroughputBenchmark [--lengths 2048,8192,32768]
 * [--passages 1] [--warmup 1] [--threads 2] [--layers 12] [--channels 64] [--bge true] [--xmx 3g]}; {@code --warmup}
 * takes one count or one per length ({@code 1,1,0}). M2-BERT inputs are random token ids padded to the length
 * (tokenising is not timed); BGE reads text of the same number of words.
 */
public final class M2BertThroughputBenchmark {
  private static final int HIDDEN = 768;
  private static final int INTER = 3072;
  private static final int ORDER = 128;
  private static final int NBLOCKS = 4;
  private static final int EMB_DIM = 5;

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args, Map.of("--lengths", "2048,8192,32768", "--passages", "1", "--warmup", "1",
        "--threads", "2", "--layers", "12", "--channels", String.valueOf(M2BertModel.Blocking.DEFAULT.channels()),
        "--bge", "true", "--xmx", "3g"));
    if (o.containsKey("--child")) {
      child(o);
      return;
    }
    List<Integer> lengths = ints(o.get("--lengths"));
    if (ints(o.get("--warmup")).size() != 1 && ints(o.get("--warmup")).size() != lengths.size()) {
      throw new IllegalArgumentException("--warmup takes one count or one per length, got " + o.get("--warmup"));
    }
    int layers = Integer.parseInt(o.get("--layers"));
    double peak = FmaPeak.gflopsPerCpuSecond();
    System.out.printf(Locale.ROOT, "M2-BERT 80M shape, %d layers, %s threads; %s passage(s) per row after %s warm-up;"
        + " %d cores; each row in a forked JVM with -Xmx%s; load average at start %.1f%n", layers, o.get("--threads"),
        o.get("--passages"), o.get("--warmup"), Runtime.getRuntime().availableProcessors(), o.get("--xmx"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "FMA peak of one core, measured now: %.1f GFLOP per CPU s (float32 %d-lane FMA)%n",
        peak, FloatVector.SPECIES_PREFERRED.length());
    System.out.printf("%7s | %-26s | %10s | %13s | %13s | %13s | %11s%n", "tokens", "model", "passages/s",
        "CPU s/passage", "peak RSS MiB", "peak heap MiB", "growth/4x");
    Path dir = Files.createTempDirectory("m2bert-bench");
    Map<String, Double> previous = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (int len : lengths) {
      Path ck = new TinyM2Bert(len, HIDDEN, INTER, layers, len, ORDER, NBLOCKS).write(dir.resolve("m2-" + len));
      for (int c : ints(o.get("--channels"))) {
        String model = "M2-BERT, " + c + "-channel blocks";
        Map<String, String> r = fork(o, "m2", len,
            List.of("--checkpoint", ck.toString(), "--block", String.valueOf(c)));
        row(len, model, r, previous);
        notes.add(profileLine(len, c, layers, r, peak));
      }
      deleteTree(ck);
      if (Boolean.parseBoolean(o.get("--bge"))) {
        row(len, "BGE 510-token windows, 0.5", fork(o, "bge", len, List.of()), previous);
      }
    }
    deleteTree(dir);
    System.out.println("M2-BERT CPU split per forward (process CPU s charged to each step; matrix-product FLOPs vs"
        + " the measured FMA peak x CPU s):");
    notes.forEach(System.out::println);
  }

  private static void row(int len, String model, Map<String, String> r, Map<String, Double> previous) {
    double cpu = Double.parseDouble(r.get("cpu"));
    Double before = previous.get(model);
    Integer beforeLen = (int) Math.round(previous.getOrDefault(model + "@len", 0.0));
    String growth = before == null ? "-" : beforeLen * 4 == len
        ? String.format(Locale.ROOT, "%.2f", cpu / before) : "(not 4x)";
    previous.put(model, cpu);
    previous.put(model + "@len", (double) len);
    System.out.printf(Locale.ROOT, "%7d | %-26s | %10.4f | %13.2f | %13.0f | %13.0f | %11s%n", len, model,
        Double.parseDouble(r.get("rate")), cpu, Double.parseDouble(r.get("rss")), Double.parseDouble(r.get("heap")),
        growth);
  }

  private static String profileLine(int len, int channels, int layers, Map<String, String> r, double peak) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %d tokens, %d-channel blocks:", len, channels));
    double total = 0;
    for (M2BertModel.Stage s : M2BertModel.Stage.values()) {
      total += Double.parseDouble(r.get("stage." + s.name()));
    }
    for (M2BertModel.Stage s : M2BertModel.Stage.values()) {
      double v = Double.parseDouble(r.get("stage." + s.name()));
      sb.append(String.format(Locale.ROOT, " %s %.1f%%;", s.label(), 100 * v / total));
    }
    // FLOPs of the dense and block-diagonal products per token and layer; the filter MLPs' products when the spectra
    // are not cached (they then run every forward, 4 MLPs of E x O, O x O, O x O plus 4 x O x H per position)
    double dense = 2.0 * (3.0 * HIDDEN * HIDDEN + HIDDEN * HIDDEN);
    double monarch = 2.0 * (2.0 * INTER * HIDDEN / NBLOCKS + (double) INTER * HIDDEN / NBLOCKS);
    int cached = Integer.parseInt(r.get("cached"));
    double filters = 2.0 * (4.0 * (EMB_DIM * ORDER + 2.0 * ORDER * ORDER) + 4.0 * ORDER * HIDDEN);
    double perPassage = (double) len * (layers * (dense + monarch) + (layers - cached) * filters);
    double matCpu = Double.parseDouble(r.get("stage." + M2BertModel.Stage.IN_LINEAR.name()))
        + Double.parseDouble(r.get("stage." + M2BertModel.Stage.OUT_LINEAR.name()))
        + Double.parseDouble(r.get("stage." + M2BertModel.Stage.MLP_MATMUL.name()));
    double matFlops = (double) len * layers * (dense + monarch);
    sb.append(String.format(Locale.ROOT, "%n    matrix products %.0f GFLOP per passage (%s); whole forward %.1f"
        + " GFLOP per CPU s = %.0f%% of the FMA peak; dense + Monarch products alone %.1f GFLOP per CPU s = %.0f%%",
        perPassage / 1e9, "filter spectra of " + cached + " of " + layers + " layers cached", perPassage / 1e9 / total,
        100 * perPassage / 1e9 / total / peak, matFlops / 1e9 / matCpu, 100 * matFlops / 1e9 / matCpu / peak));
    return sb.toString();
  }

  /** Runs one row in a fresh JVM and returns its {@code key=value} result line. */
  private static Map<String, String> fork(Map<String, String> o, String model, int len, List<String> extra)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
        "-Xmx" + o.get("--xmx"),
        "-cp", System.getProperty("java.class.path"), M2BertThroughputBenchmark.class.getName(), "--child", model,
        "--length", String.valueOf(len)));
    for (String k : List.of("--passages", "--threads")) {
      cmd.add(k);
      cmd.add(o.get(k));
    }
    List<Integer> lengths = ints(o.get("--lengths"));
    List<Integer> warmups = ints(o.get("--warmup"));
    cmd.add("--warmup");
    cmd.add(String.valueOf(warmups.size() == 1 ? warmups.get(0) : warmups.get(lengths.indexOf(len))));
    cmd.addAll(extra);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, String> result = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          result = new LinkedHashMap<>();
          for (String kv : line.substring(7).split(" ")) {
            int eq = kv.indexOf('=');
            result.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        } else if (!line.contains("WARNING") && !line.contains(" INFO ") && !line.startsWith("INFO:")
            && !line.contains("Kernels <clinit>")) {
          System.out.println("  [" + model + " " + len + "] " + line);
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || result == null) {
      throw new IllegalStateException(model + " at " + len + " tokens: child JVM exited " + rc);
    }
    return result;
  }

  /** One row inside the forked JVM: prints {@code RESULT rate=.. cpu=.. rss=.. heap=.. [stage.X=..]}. */
  private static void child(Map<String, String> o) throws Exception {
    int len = Integer.parseInt(o.get("--length"));
    int passages = Integer.parseInt(o.get("--passages"));
    int warmup = Integer.parseInt(o.get("--warmup"));
    int threads = Integer.parseInt(o.get("--threads"));
    StringBuilder extra = new StringBuilder();
    double[] m;
    if (o.get("--child").equals("m2")) {
      Path ck = Path.of(o.get("--checkpoint"));
      M2BertModel.Blocking blocking = new M2BertModel.Blocking(Integer.parseInt(o.get("--block")),
          M2BertModel.Blocking.DEFAULT.filterCacheBytes());
      try (M2BertModel model = M2BertModel.load(ck, threads, blocking)) {
        Random r = new Random(len);
        List<int[]> inputs = new ArrayList<>();
        for (int i = 0; i < passages + warmup; i++) {
          int[] ids = new int[len];
          ids[0] = 2;
          for (int t = 1; t < len - 1; t++) {
            ids[t] = 5 + r.nextInt(TinyM2Bert.VOCAB.size() - 5);
          }
          ids[len - 1] = 3;
          inputs.add(ids);
        }
        m = measure(inputs, warmup, ids -> model.pooled(ids), () -> model.profile(true));
        model.profileSeconds().forEach((s, v) -> extra.append(String.format(Locale.ROOT, " stage.%s=%.4f", s.name(),
            v / passages)));
        extra.append(" cached=").append(model.cachedLayers());
      }
    } else {
      EmbeddingSettings bge = new EmbeddingSettings(EmbeddingBackend.ONNX, null, null,
          ContextStrategy.PARALLEL_WINDOWS, 65_536, EmbeddingDevice.CPU, 16, 0.5);
      try (TextEmbedder e = TextEmbedders.create(bge)) {
        m = measure(texts(len - 2, passages + warmup, len), warmup, t -> e.embedPassages(List.of(t)), () -> {});
      }
    }
    System.out.printf(Locale.ROOT, "RESULT rate=%.6f cpu=%.4f heap=%.1f rss=%.1f%s%n", m[0], m[2], m[1],
        statusKib("VmHWM") / 1024.0, extra);
  }

  /**
   * {passages/s, peak heap MiB, process CPU s per passage} for running {@code embed} on each input, the first
   * {@code warmup} not measured; {@code start} runs after the warm-up.
   */
  static <T> double[] measure(List<T> inputs, int warmup, java.util.function.Consumer<T> embed, Runnable start) {
    for (T t : inputs.subList(0, warmup)) {
      embed.accept(t);
    }
    List<T> measured = inputs.subList(warmup, inputs.size());
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    start.run();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (T t : measured) {
      embed.accept(t);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return new double[] {measured.size() / seconds, peak / 1048576.0, cpu / measured.size()};
  }

  /** A {@code /proc/self/status} field in KiB (peak RSS: VmHWM), -1 where there is none. */
  private static long statusKib(String field) throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static Map<String, String> options(String[] args, Map<String, String> defaults) {
    Map<String, String> o = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length || !args[i].startsWith("--")) {
        throw new IllegalArgumentException("options come in pairs (--name value), got " + args[i]);
      }
      boolean internal = List.of("--child", "--length", "--checkpoint", "--block").contains(args[i]);
      if (!defaults.containsKey(args[i]) && !internal) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      o.put(args[i], args[i + 1]);
    }
    return o;
  }

  private static List<Integer> ints(String csv) {
    return java.util.Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
  }

  static List<String> texts(int words, int n, long seed) {
    List<String> vocab = TinyM2Bert.VOCAB.subList(5, TinyM2Bert.VOCAB.size()).stream()
        .filter(w -> !w.startsWith("##")).toList();
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        sb.append(vocab.get(r.nextInt(vocab.size()))).append(' ');
      }
      out.add(sb.toString());
    }
    return out;
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (var s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
