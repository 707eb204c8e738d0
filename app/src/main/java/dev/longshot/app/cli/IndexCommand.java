package dev.longshot.app.cli;

import dev.longshot.app.BatchIndexer;
import dev.longshot.app.BatchPart;
import dev.longshot.app.BatchSummary;
import dev.longshot.app.Longshot;
import dev.longshot.config.LongshotConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/longshot index DIR [--jobs N] [--part i/n]}: ingest and index every video under DIR (or share i of n,
 * {@link BatchPart}), N at a time (default {@code server.ingest-workers}), with an overall progress bar and a
 * summary. Safe to interrupt and re-run: what is already indexed with the same settings is skipped.
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
  @Option(names = "--part", paramLabel = "i/n", converter = PartConverter.class,
      description = "index only share i of n (by content id), so n machines given the same folder split it; default 1/1")
  BatchPart part = BatchPart.ALL;

  static final class PartConverter implements CommandLine.ITypeConverter<BatchPart> {
    @Override
    public BatchPart convert(String value) {
      try {
        return BatchPart.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  IndexCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    LongshotConfig settings = config.load();
    int parallel = jobs != null ? jobs : settings.server().ingestWorkers();
    try (Longshot longshot = Longshot.open(settings)) {
      List<Path> all = BatchIndexer.findMedia(dir);
      List<Path> mine = part.select(all);
      if (part.count() > 1) {
        out.printf("part %s: %d of %d files%n", part, mine.size(), all.size());
      }
      BatchSummary summary = new BatchIndexer(longshot, parallel).run(mine, ProgressBar.forTerminal(err, "index"), item -> { });
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
