package dev.longshot.app.cli;

import dev.longshot.app.Longshot;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.ingest.media.MediaProbe;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Timestamps;
import dev.longshot.timeline.VideoManifest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bin/longshot ingest FILE...}: ingest and index videos with a progress bar. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "ingest and index videos (progress bar; unchanged files are skipped)")
final class IngestCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  @Mixin ConfigOption config;
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "video or audio files")
  List<Path> files;

  IngestCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    int failures = 0;
    List<Path> videos = new ArrayList<>();
    for (Path file : files) {
      if (Files.isDirectory(file)) { // said before any model loads
        err.println(dev.longshot.config.OneLine.of("longshot ingest: " + file + " is a folder; bin/longshot index " + file
            + " ingests every video under it"));
        failures++;
      } else {
        try {
          MediaProbe.checkFile(file); // missing, unreadable or empty: said before any model loads or bar is drawn
          videos.add(file);
        } catch (IngestException e) {
          err.println("longshot ingest: " + e.getMessage());
          failures++;
        }
      }
    }
    if (videos.isEmpty()) {
      return 1;
    }
    try (Longshot longshot = Longshot.openForIngest(config.load())) {
      for (Path file : videos) {
        try {
          IngestResult o = longshot.ingest(file, ProgressBar.forTerminal(err, file.getFileName().toString()));
          print(o, file, longshot, out);
        } catch (IngestException e) {
          err.println("longshot ingest: " + e.getMessage());
          failures++;
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /**
   * The video id, the file as given, the duration; an unchanged file says so, and a copy under another name also
   * names the library's video it matched (identity is the content).
   */
  static void print(IngestResult o, Path file, Longshot longshot, PrintStream out) {
    VideoManifest m = o.manifest();
    String given = file.getFileName().toString();
    String note = !o.unchanged() ? ""
        : given.equals(m.fileName()) ? "  (unchanged, skipped)"
        : "  (unchanged, skipped: the same content as " + m.fileName() + ", already indexed)";
    out.printf("%s  %s  %s%s%n", m.videoId(), given, Timestamps.format(m.durationMillis()), note);
    StringBuilder counts = new StringBuilder();
    for (Modality mod : Modality.values()) {
      counts.append(' ').append(mod.id()).append('=').append(m.segmentCounts().getOrDefault(mod, 0));
    }
    out.println("  segments:" + counts + "  keyframes=" + m.keyframeCount() + "  transcript=" + m.transcriptSource());
    out.println("  record: " + longshot.config().data().recordsDir().resolve(m.videoId()));
  }
}
