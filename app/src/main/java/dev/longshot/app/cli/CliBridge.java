package dev.longshot.app.cli;

import dev.longshot.retrieval.answer.VideoNames;
import dev.longshot.timeline.Answer;
import java.io.IOException;

/** The CLI's output formats, for callers outside this package (tests, the web module's export). */
public final class CliBridge {
  private CliBridge() {}

  /** The {@code bin/longshot ask --json} object for {@code answer}, its evidence files named by {@code names}. */
  public static String askJson(Answer answer, VideoNames names) throws IOException {
    return AskCommand.toJson(answer, names);
  }

  /** Runs {@code bin/longshot ARGS} in this JVM (what {@code Main} does), writing to {@code out} and {@code err}. */
  public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    return Main.run(args, out, err);
  }
}
