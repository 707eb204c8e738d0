package dev.longshot.app.cli;

import dev.longshot.timeline.Timestamps;
import dev.longshot.app.IngestOutcome;
import dev.longshot.app.Longshot;
import dev.longshot.ingest.IngestException;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.VideoManifest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code bin/longshot ingest FILE...}: ingest and index videos with a progress bar. */
final class IngestCommand implements Main.Command {
  @Override
  public String summary() {
    return "ingest FILE...  ingest and index videos (progress bar; unchanged files are skipped)";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
    Args args = new Args(argv, Set.of("config"), Set.of());
    if (args.positional().isEmpty()) {
      throw new IllegalArgumentException("usage: bin/longshot ingest FILE... [--config longshot.yaml]");
    }
    int failures = 0;
    try (Longshot longshot = Longshot.open(args.config())) {
      for (String f : args.positional()) {
        Path file = Path.of(f);
        try {
          IngestOutcome o = longshot.ingest(file, ProgressBar.forTerminal(err, file.getFileName().toString()));
          print(o, longshot, out);
        } catch (IngestException e) {
          err.println("longshot ingest: " + e.getMessage());
          failures++;
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  static void print(IngestOutcome o, Longshot longshot, PrintStream out) {
    VideoManifest m = o.manifest();
    out.printf("%s  %s  %s%s%n", m.videoId(), m.fileName(), Timestamps.format(m.durationMillis()),
        o.unchanged() ? "  (unchanged, skipped)" : "");
    StringBuilder counts = new StringBuilder();
    for (Modality mod : Modality.values()) {
      counts.append(' ').append(mod.id()).append('=').append(m.segmentCounts().getOrDefault(mod, 0));
    }
    out.println("  segments:" + counts + "  keyframes=" + m.keyframeCount() + "  transcript=" + m.transcriptSource());
    out.println("  record: " + longshot.config().data().recordsDir().resolve(m.videoId()));
  }
}
