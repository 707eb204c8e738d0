package dev.longshot.embeddings.bench;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.config.EmbeddingSettings;
import dev.longshot.embeddings.M2BertTextEmbedder;
import dev.longshot.embeddings.TextEmbedders;
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
 * half-overlapping parallel windows (the default) on passages of the same word count: passages/s and peak JVM heap
 * per model, with {@code threads} worker threads for M2-BERT (ONNX Runtime uses its default, all cores).
 *
 * <p>{@code bench/run embeddings dev.longshot.embeddings.bench.M2BertThroughputBenchmark [--lengths 2048,8192,32768]
 * [--passages 2] [--threads 2]}; needs about 4 GB of heap at 32k ({@code BENCH_JAVA_OPTS=-Xmx6g}).
 */
public final class M2BertThroughputBenchmark {
  public static void main(String[] args) throws Exception {
    List<Integer> lengths = List.of(2048, 8192, 32768);
    int passages = 2;
    int threads = 2;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--lengths" -> lengths = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
        case "--passages" -> passages = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("m2bert-bench");
    EmbeddingSettings bgeSettings = new EmbeddingSettings(EmbeddingBackend.ONNX, null, null,
        ContextStrategy.PARALLEL_WINDOWS, 65_536, EmbeddingDevice.CPU, 16, 0.5);
    System.out.printf("M2-BERT threads %d, %d passages per cell, %d cores%n", threads, passages,
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%7s | %-22s | %10s | %14s | %-22s | %10s | %14s%n", "tokens", "M2-BERT", "passages/s",
        "peak heap MiB", "BGE parallel windows", "passages/s", "peak heap MiB");
    for (int len : lengths) {
      List<String> texts = texts(len - 2, passages, len);
      Path ck = new TinyM2Bert(len, 768, 3072, 12, len, 128, 4).write(dir.resolve("m2-" + len));
      double[] m2;
      try (TextEmbedder m = new M2BertTextEmbedder(ck, threads)) {
        m2 = measure(m, texts);
      }
      deleteTree(ck);
      double[] bge;
      try (TextEmbedder b = TextEmbedders.create(bgeSettings)) {
        bge = measure(b, texts);
      }
      System.out.printf("%7d | %-22s | %10.4f | %14.0f | %-22s | %10.4f | %14.0f%n", len, "one pass, padded", m2[0],
          m2[1], "510-token, overlap 0.5", bge[0], bge[1]);
    }
    deleteTree(dir);
  }

  /** {passages/s, peak heap MiB} for embedding {@code texts} one at a time after one warm-up text. */
  static double[] measure(TextEmbedder e, List<String> texts) {
    e.embedPassages(List.of(texts.get(0)));
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    for (String t : texts) {
      e.embedPassages(List.of(t));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return new double[] {texts.size() / seconds, peak / 1048576.0};
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
