package dev.longshot.app.cli;

import dev.longshot.app.BatchIndexer;
import dev.longshot.app.BatchSummary;
import dev.longshot.app.Longshot;
import dev.longshot.config.LongshotConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code bin/longshot index DIR [--jobs N]}: ingest and index every video under DIR, N at a time (default
 * {@code server.ingest-workers}), with an overall progress bar and a summary. Safe to interrupt and re-run.
 */
final class IndexCommand implements Main.Command {
  @Override
  public String summary() {
    return "index DIR [--jobs N]  ingest and index every video under DIR (resumable)";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
    Args args = new Args(argv, Set.of("config", "jobs"), Set.of());
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException("usage: bin/longshot index DIR [--jobs N]");
    }
    Path dir = Path.of(args.positional().get(0));
    LongshotConfig config = args.config();
    int jobs = args.intOption("jobs", config.server().ingestWorkers());
    try (Longshot longshot = Longshot.open(config)) {
      BatchSummary summary = new BatchIndexer(longshot, jobs).run(dir, ProgressBar.forTerminal(err, "index"), item -> { });
      printSummary(summary, out);
      return summary.failures().isEmpty() ? 0 : 1;
    }
  }

  static void printSummary(BatchSummary s, PrintStream out) {
    out.printf("%d files: %d done, %d skipped as unchanged, %d failed%n", s.items().size(),
        s.count(BatchSummary.Status.DONE), s.count(BatchSummary.Status.UNCHANGED), s.count(BatchSummary.Status.FAILED));
    for (BatchSummary.Item f : s.failures()) {
      out.println("  failed: " + f.file() + ": " + f.reason());
    }
  }
}
