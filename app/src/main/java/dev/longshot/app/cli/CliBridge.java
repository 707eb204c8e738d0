package dev.longshot.app.cli;

import dev.longshot.timeline.Answer;
import java.io.IOException;

/** The CLI's output formats, for callers outside this package (tests, the web module's export). */
public final class CliBridge {
  private CliBridge() {}

  /** The {@code bin/longshot ask --json} object for {@code answer}. */
  public static String askJson(Answer answer) throws IOException {
    return AskCommand.toJson(answer);
  }

  /** Runs {@code bin/longshot ARGS} in this JVM (what {@code Main} does), writing to {@code out} and {@code err}. */
  public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    return Main.run(args, out, err);
  }
}
