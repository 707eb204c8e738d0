package dev.longshot.embeddings.bench;

import dev.longshot.config.Check;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.embeddings.ModelSource;
import dev.longshot.embeddings.OnnxTextEmbedder;
import dev.longshot.embeddings.eval.RetrievalAccuracy;
import dev.longshot.embeddings.eval.RetrievalTask;
import dev.longshot.embeddings.eval.SyntheticLongTasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints top-1 accuracy per context strategy and document length on LongEmbed-style passkey and needle tasks,
 * with truncation as the baseline in the same run. Each cell is the mean over {@code --seeds} independent sets of
 * {@code --docs} documents (seeds S, S+1, ...), so one cell rests on seeds x docs queries. Run: {@code bench/run
 * embeddings dev.longshot.embeddings.bench.LongContextEvaluation [--docs N] [--seed S] [--seeds K]
 * [--lengths 256,512,...] [--strategies truncate,parallel-windows,...] [--overlaps 0,0.5] [--tasks
 * passkey,needle]}; {@code --overlaps} gives one parallel-windows row per window overlap.
 */
public final class LongContextEvaluation {
  public static void main(String[] args) {
    int docs = 10;
    long seed = 20240417L;
    int[] lengths = {256, 512, 1024, 2048, 4096, 8192};
    List<String> strategies = Arrays.stream(ContextStrategy.values()).map(ContextStrategy::configName).toList();
    List<String> tasks = List.of("passkey", "needle");
    int seeds = 1;
    double[] overlaps = {OnnxTextEmbedder.DEFAULT_WINDOW_OVERLAP};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--docs" -> docs = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--lengths" -> lengths = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--strategies" -> strategies = List.of(args[i + 1].split(","));
        case "--tasks" -> tasks = List.of(args[i + 1].split(","));
        case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "--overlaps" -> overlaps = Arrays.stream(args[i + 1].split(",")).mapToDouble(Double::parseDouble)
            .toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("LongEmbed-style synthetic retrieval, bge-small-en-v1.5, %d documents per set, %d set(s) per"
        + " cell, seeds %d..%d%n", docs, seeds, seed, seed + seeds - 1);
    List<String> rows = new ArrayList<>();
    for (String name : strategies) {
      ContextStrategy strategy = Check.oneOf("--strategies", name, ContextStrategy.class);
      boolean windows = strategy == ContextStrategy.PARALLEL_WINDOWS;
      for (double overlap : windows ? overlaps : new double[] {0}) {
        String label = windows ? name + " " + overlap : name;
        rows.addAll(evaluate(strategy, label, overlap, tasks, lengths, docs, seed, seeds));
      }
    }
    StringBuilder header = new StringBuilder("| task    | strategy                   |");
    StringBuilder rule = new StringBuilder("|---------|----------------------------|");
    for (int len : lengths) {
      header.append(String.format(" %5d |", len));
      rule.append("-------|");
    }
    System.out.println();
    System.out.println(header + "   time   |");
    System.out.println(rule + "----------|");
    rows.stream().sorted().forEach(System.out::println);
  }

  private static List<String> evaluate(ContextStrategy strategy, String label, double overlap, List<String> tasks,
      int[] lengths, int docs, long seed, int seeds) {
    List<String> rows = new ArrayList<>();
    int max = Arrays.stream(lengths).max().orElse(512);
    try (OnnxTextEmbedder embedder = new OnnxTextEmbedder(ModelSource.bundledBgeSmall(), strategy, max, EmbeddingDevice.AUTO, 16,
        overlap)) {
      for (String task : tasks) {
        StringBuilder row = new StringBuilder(String.format("| %-7s | %-26s |", task, label));
        long t0 = System.nanoTime();
        for (int len : lengths) {
          double sum = 0;
          for (int k = 0; k < seeds; k++) {
            SyntheticLongTasks gen = new SyntheticLongTasks(embedder::countTokens, seed + k);
            RetrievalTask set = task.equals("passkey") ? gen.passkey(len, docs) : gen.needle(len, docs);
            double acc = RetrievalAccuracy.top1(embedder, set);
            System.out.printf("%s %s %d seed %d: %.1f%%%n", task, label, len, seed + k, 100 * acc);
            sum += acc;
          }
          row.append(String.format(" %5.1f |", 100 * sum / seeds));
        }
        row.append(String.format(" %6.0f s |", (System.nanoTime() - t0) / 1e9));
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
