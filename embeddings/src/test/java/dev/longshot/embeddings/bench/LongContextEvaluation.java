package dev.longshot.embeddings.bench;

import dev.longshot.embeddings.ContextStrategy;
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
 * with truncation as the baseline in the same run. Run: {@code bench/run embeddings
 * dev.longshot.embeddings.bench.LongContextEvaluation [--docs N] [--seed S] [--lengths 256,512,...]
 * [--strategies truncate,parallel-windows,...] [--tasks passkey,needle]}.
 */
public final class LongContextEvaluation {
  public static void main(String[] args) {
    int docs = 10;
    long seed = 20240417L;
    int[] lengths = {256, 512, 1024, 2048, 4096, 8192};
    List<String> strategies = Arrays.stream(ContextStrategy.values()).map(ContextStrategy::configName).toList();
    List<String> tasks = List.of("passkey", "needle");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--docs" -> docs = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--lengths" -> lengths = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--strategies" -> strategies = List.of(args[i + 1].split(","));
        case "--tasks" -> tasks = List.of(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("LongEmbed-style synthetic retrieval, bge-small-en-v1.5, %d documents per set, seed %d%n",
        docs, seed);
    List<String> rows = new ArrayList<>();
    for (String name : strategies) {
      ContextStrategy strategy = ContextStrategy.fromConfigName(name);
      int max = Arrays.stream(lengths).max().orElse(512);
      try (OnnxTextEmbedder embedder = new OnnxTextEmbedder(ModelSource.bundledBgeSmall(), strategy, max, "auto", 16)) {
        SyntheticLongTasks gen = new SyntheticLongTasks(embedder::countTokens, seed);
        for (String task : tasks) {
          StringBuilder row = new StringBuilder(String.format("| %-7s | %-22s |", task, name));
          long t0 = System.nanoTime();
          for (int len : lengths) {
            RetrievalTask set = task.equals("passkey") ? gen.passkey(len, docs) : gen.needle(len, docs);
            double acc = RetrievalAccuracy.top1(embedder, set);
            row.append(String.format(" %5.1f |", 100 * acc));
            System.out.printf("%s %s %d: %.1f%%%n", task, name, len, 100 * acc);
          }
          row.append(String.format(" %6.0f s |", (System.nanoTime() - t0) / 1e9));
          rows.add(row.toString());
        }
      }
    }
    StringBuilder header = new StringBuilder("| task    | strategy               |");
    StringBuilder rule = new StringBuilder("|---------|------------------------|");
    for (int len : lengths) {
      header.append(String.format(" %5d |", len));
      rule.append("-------|");
    }
    System.out.println();
    System.out.println(header + "   time   |");
    System.out.println(rule + "----------|");
    rows.stream().sorted().forEach(System.out::println);
  }
}
