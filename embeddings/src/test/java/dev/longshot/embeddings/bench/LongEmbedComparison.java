package dev.longshot.embeddings.bench;

import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.embeddings.M2BertTextEmbedder;
import dev.longshot.embeddings.ModelSource;
import dev.longshot.embeddings.OnnxTextEmbedder;
import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.embeddings.eval.RetrievalAccuracy;
import dev.longshot.embeddings.eval.RetrievalTask;
import dev.longshot.embeddings.eval.SyntheticLongTasks;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * LongEmbed-style comparison beyond 8k tokens (issue 20 item 3): BGE-small with its 512-token window against
 * M2-BERT, on the same documents and queries. Rows: {@code bge-pooled} (half-overlapping 510-token parallel
 * windows, length-weighted mean: the default), {@code bge-best-window} (late interaction: a document scores by its
 * best 128-token window, one starting every 64 tokens, as the index's window parts do) and {@code m2bert} (one
 * pass at the checkpoint's trained length; longer documents are cut there with a logged warning). Tasks: {@code
 * passkey}, {@code needle} and the LoCoV1-style {@code spread} (three facts in three thirds of the document; only
 * their combination is unique), all from {@link SyntheticLongTasks}, generated with BGE's tokenizer (M2-BERT was
 * trained with the same bert-base-uncased vocabulary). Cells: top-1 accuracy in %, mean over {@code --seeds} sets
 * of {@code --docs} documents (chance is 100/docs).
 *
 * <p>{@code bench/run embeddings dev.longshot.embeddings.bench.LongEmbedComparison --m2bert DIR [--lengths
 * 2048,8192,16384,32768] [--docs 10] [--seeds 3] [--tasks passkey,needle,spread] [--rows
 * bge-pooled,bge-best-window,m2bert] [--threads 2]}. {@code --m2bert tiny} writes a random tiny checkpoint (8
 * wide, 2 layers, trained length = the longest of {@code --lengths}, a 16-word vocabulary) to prove the harness
 * runs end to end; its scores mean nothing (chance). Real weights: embeddings/README.md, M2-BERT section.
 */
public final class LongEmbedComparison {
  public static void main(String[] args) throws Exception {
    int docs = 10;
    int seeds = 3;
    long seed = 20240417L;
    int threads = 2;
    int[] lengths = {2048, 8192, 16384, 32768};
    List<String> tasks = List.of("passkey", "needle", "spread");
    List<String> rows = List.of("bge-pooled", "bge-best-window", "m2bert");
    String m2bert = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--docs" -> docs = Integer.parseInt(args[i + 1]);
        case "--seeds" -> seeds = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--lengths" -> lengths = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--tasks" -> tasks = List.of(args[i + 1].split(","));
        case "--rows" -> rows = List.of(args[i + 1].split(","));
        case "--m2bert" -> m2bert = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (rows.contains("m2bert") && m2bert == null) {
      throw new IllegalArgumentException("row m2bert needs --m2bert DIR (or --m2bert tiny)");
    }
    int max = Arrays.stream(lengths).max().orElseThrow();
    Path tinyDir = null;
    Path m2Dir = null;
    if ("tiny".equals(m2bert)) {
      tinyDir = Files.createTempDirectory("m2bert-tiny");
      m2Dir = new TinyM2Bert(seed, 8, 16, 2, max, 4, 4).write(tinyDir.resolve("tiny-m2bert-" + max));
    } else if (m2bert != null) {
      m2Dir = Path.of(m2bert);
    }
    System.out.printf(Locale.ROOT, "LongEmbed-style comparison: %d documents per set, %d set(s) per cell, seeds %d..%d, "
        + "M2-BERT %s%n", docs, seeds, seed, seed + seeds - 1, m2Dir == null ? "-" : m2Dir);
    List<String> table = new ArrayList<>();
    try (OnnxTextEmbedder bge = new OnnxTextEmbedder(ModelSource.bundledBgeSmall(), ContextStrategy.PARALLEL_WINDOWS, max,
        EmbeddingDevice.AUTO, 16, OnnxTextEmbedder.DEFAULT_WINDOW_OVERLAP);
        TextEmbedder m2 = m2Dir == null ? null : new M2BertTextEmbedder(m2Dir, threads)) {
      for (String row : rows) {
        for (String task : tasks) {
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %-7s | %-26s |", task,
              row.equals("m2bert") ? "m2bert " + m2.name() : row));
          long t0 = System.nanoTime();
          for (int len : lengths) {
            double sum = 0;
            for (int k = 0; k < seeds; k++) {
              SyntheticLongTasks gen = new SyntheticLongTasks(bge::countTokens, seed + k);
              RetrievalTask set = switch (task) {
                case "passkey" -> gen.passkey(len, docs);
                case "needle" -> gen.needle(len, docs);
                case "spread" -> gen.spread(len, docs);
                default -> throw new IllegalArgumentException("unknown task " + task + " (passkey, needle, spread)");
              };
              double acc = accuracy(row, bge, m2, set);
              System.out.printf(Locale.ROOT, "%s %s %d seed %d: %.1f%%%n", task, row, len, seed + k, 100 * acc);
              sum += acc;
            }
            line.append(String.format(Locale.ROOT, " %5.1f |", 100 * sum / seeds));
          }
          line.append(String.format(Locale.ROOT, " %6.0f s |", (System.nanoTime() - t0) / 1e9));
          table.add(line.toString());
        }
      }
    }
    if (tinyDir != null) {
      M2BertThroughputBenchmark.deleteTree(tinyDir);
    }
    StringBuilder header = new StringBuilder("| task    | model                      |");
    StringBuilder rule = new StringBuilder("|---------|----------------------------|");
    for (int len : lengths) {
      header.append(String.format(Locale.ROOT, " %5d |", len));
      rule.append("-------|");
    }
    System.out.println();
    System.out.println(header + "   time   |");
    System.out.println(rule + "----------|");
    table.forEach(System.out::println);
  }

  private static double accuracy(String row, OnnxTextEmbedder bge, TextEmbedder m2, RetrievalTask set) {
    return switch (row) {
      case "bge-pooled" -> RetrievalAccuracy.top1(bge, set);
      case "bge-best-window" -> RetrievalAccuracy.top1BestPart(
          set.documents().stream().map(d -> bge.passageWindows(d, 128, 64)).toList(), RetrievalAccuracy.queries(bge, set));
      case "m2bert" -> RetrievalAccuracy.top1(m2, set);
      default -> throw new IllegalArgumentException("unknown row " + row + " (bge-pooled, bge-best-window, m2bert)");
    };
  }
}
