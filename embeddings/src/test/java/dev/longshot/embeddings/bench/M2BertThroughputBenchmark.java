package dev.longshot.embeddings.bench;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.config.EmbeddingSettings;
import dev.longshot.embeddings.M2BertTextEmbedder;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.embeddings.m2bert.M2BertModel;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * M2-BERT (80M shape: 768 wide, 12 layers, filter order 128, 4 Monarch blocks; random weights, since the released
 * checkpoint cannot be downloaded here, and speed does not depend on the values) against the bundled BGE-small with
 * half-overlapping parallel windows (the default) on passages of the same word count: passages/s, tokens/s, process
 * CPU seconds per passage (steadier than wall time on a shared machine) and peak JVM heap per model, with {@code
 * threads} worker threads for M2-BERT (ONNX Runtime uses its default, all cores). {@code --channels} gives one
 * M2-BERT row per sequence-mixer channel block ({@link M2BertModel.Blocking}; 768 = the whole layer at once, as
 * before blocking, so it is the memory baseline of the same run). {@code --layers} shrinks the depth (memory per
 * forward is per layer plus the weights; use it to see 32k memory in minutes). Peak heap includes garbage not yet
 * collected: run with a small {@code -Xmx} to see the live peak.
 *
 * <p>{@code bench/run embeddings dev.longshot.embeddings.bench.M2BertThroughputBenchmark [--lengths 2048,8192,32768]
 * [--passages 2] [--warmup 1] [--threads 2] [--layers 12] [--channels 64] [--bge true]}.
 */
public final class M2BertThroughputBenchmark {
  public static void main(String[] args) throws Exception {
    List<Integer> lengths = List.of(2048, 8192, 32768);
    List<Integer> channels = List.of(M2BertModel.Blocking.DEFAULT.channels());
    int passages = 2;
    int warmup = 1;
    int threads = 2;
    int layers = 12;
    boolean withBge = true;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--lengths" -> lengths = ints(args[i + 1]);
        case "--channels" -> channels = ints(args[i + 1]);
        case "--passages" -> passages = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--layers" -> layers = Integer.parseInt(args[i + 1]);
        case "--bge" -> withBge = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("m2bert-bench");
    EmbeddingSettings bgeSettings = new EmbeddingSettings(EmbeddingBackend.ONNX, null, null,
        ContextStrategy.PARALLEL_WINDOWS, 65_536, EmbeddingDevice.CPU, 16, 0.5);
    System.out.printf("M2-BERT %d layers, threads %d, %d passage(s) per cell after %d warm-up, %d cores, max heap %d MiB%n",
        layers, threads, passages, warmup, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("%7s | %-28s | %10s | %10s | %12s | %14s%n", "tokens", "model", "passages/s", "tokens/s",
        "CPU s/passage", "peak heap MiB");
    for (int len : lengths) {
      List<String> texts = texts(len - 2, passages + warmup, len);
      Path ck = new TinyM2Bert(len, 768, 3072, layers, len, 128, 4).write(dir.resolve("m2-" + len));
      for (int c : channels) {
        try (TextEmbedder m = new M2BertTextEmbedder(ck, threads, new M2BertModel.Blocking(c,
            M2BertModel.Blocking.DEFAULT.filterCacheBytes()))) {
          print(len, "M2-BERT, " + c + "-channel blocks", measure(m, texts, warmup), len);
        }
      }
      deleteTree(ck);
      if (withBge) {
        try (TextEmbedder b = TextEmbedders.create(bgeSettings)) {
          print(len, "BGE 510-token windows, 0.5", measure(b, texts, warmup), len);
        }
      }
    }
    deleteTree(dir);
  }

  private static void print(int len, String model, double[] m, int tokens) {
    System.out.printf("%7d | %-28s | %10.4f | %10.1f | %12.1f | %14.0f%n", len, model, m[0], m[0] * tokens, m[2], m[1]);
  }

  private static List<Integer> ints(String csv) {
    return java.util.Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
  }

  /**
   * {passages/s, peak heap MiB, process CPU s per passage} for embedding {@code texts} one at a time, the first
   * {@code warmup} not measured.
   */
  static double[] measure(TextEmbedder e, List<String> texts, int warmup) {
    for (String t : texts.subList(0, warmup)) {
      e.embedPassages(List.of(t));
    }
    List<String> measured = texts.subList(warmup, texts.size());
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (String t : measured) {
      e.embedPassages(List.of(t));
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
