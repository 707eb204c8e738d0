package dev.longshot.app.cli;

import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.Timestamps;
import java.io.PrintStream;

/**
 * Draws {@link Progress} as a one-line bar on a terminal ({@code \r}-redrawn), or as a plain line every 10% when
 * output is not a terminal (logs, CI). Thread-safe.
 */
public final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final boolean interactive;
  private int lastBucket = -1;
  private String lastStage = "";
  private long lastDrawNanos;

  public ProgressBar(PrintStream out, String label, boolean interactive) {
    this.out = out;
    this.label = label;
    this.interactive = interactive;
  }

  /** A bar that redraws in place when stderr is a terminal. */
  public static ProgressBar forTerminal(PrintStream out, String label) {
    return new ProgressBar(out, label, System.console() != null);
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (interactive) {
      long now = System.nanoTime();
      if (p.fraction() < 1 && now - lastDrawNanos < 100_000_000L && p.stage().equals(lastStage)) {
        return;
      }
      lastDrawNanos = now;
      lastStage = p.stage();
      out.print("\r" + render(p) + "\u001b[K");
      if (p.fraction() >= 1) {
        out.println();
      }
      out.flush();
    } else {
      int bucket = p.percent() / 10;
      if (bucket != lastBucket || !p.stage().equals(lastStage)) {
        lastBucket = bucket;
        lastStage = p.stage();
        out.println(render(p));
      }
    }
  }

  String render(Progress p) {
    int filled = (int) Math.round(p.fraction() * WIDTH);
    StringBuilder sb = new StringBuilder();
    sb.append(label).append(" [");
    sb.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
    sb.append(String.format("%3d%% %-8s", p.percent(), p.stage()));
    if (p.eta() != null && p.fraction() < 1) {
      sb.append(" ETA ").append(Timestamps.clock(p.eta().toMillis()));
    }
    if (!p.message().isEmpty()) {
      sb.append("  ").append(p.message());
    }
    return sb.toString();
  }

}
