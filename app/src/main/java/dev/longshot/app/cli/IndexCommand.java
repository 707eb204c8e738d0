package dev.longshot.app.cli;

import dev.longshot.app.BatchIndexer;
import dev.longshot.app.BatchSummary;
import dev.longshot.app.Longshot;
import dev.longshot.config.LongshotConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/longshot index DIR [--jobs N]}: ingest and index every video under DIR, N at a time (default
 * {@code server.ingest-workers}), with an overall progress bar and a summary. Safe to interrupt and re-run.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "ingest and index every video under DIR (resumable)")
final class IndexCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  @Mixin ConfigOption config;
  @Parameters(index = "0", paramLabel = "DIR", description = "folder to walk, recursively; hidden folders are skipped")
  Path dir;
  @Option(names = "--jobs", paramLabel = "N", description = "videos ingested at once (default: server.ingest-workers)")
  Integer jobs;

  IndexCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    LongshotConfig settings = config.load();
    int parallel = jobs != null ? jobs : settings.server().ingestWorkers();
    try (Longshot longshot = Longshot.open(settings)) {
      BatchSummary summary = new BatchIndexer(longshot, parallel).run(dir, ProgressBar.forTerminal(err, "index"), item -> { });
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
