package dev.longshot.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * The conventions every {@code bin/longshot} command shares, on top of picocli: a one-line summary per command
 * generated from its declared parameters ({@code ask "QUESTION" [--video ID|PATH] [--json]}), and command-line
 * errors in this project's words ({@code unknown option --vidoe; known: [...]}, {@code --video needs a value}).
 * Public so that the web module's {@code serve} parses the same way.
 */
public final class CommandLines {
  /** Options every command has and that summaries leave out (the help text lists them). */
  private static final List<String> COMMON = List.of("--config", "--help", "--version", "--verbose");

  private CommandLines() {}

  /**
   * {@code name POSITIONALS [--option LABEL] [--flag]}: the command's synopsis without the common options, e.g.
   * {@code index DIR [--jobs N]}.
   */
  public static String synopsis(CommandSpec spec) {
    if (spec.usageMessage().customSynopsis().length > 0) {
      return spec.usageMessage().customSynopsis()[0];
    }
    StringBuilder s = new StringBuilder(spec.name());
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        s.append(' ').append(p.paramLabel()).append(p.arity().max() > 1 ? "..." : "");
      }
    }
    for (OptionSpec o : spec.options()) {
      if (o.hidden() || COMMON.contains(o.longestName())) {
        continue;
      }
      String one = o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
      s.append(' ').append(o.required() ? one : "[" + one + "]");
    }
    return s.toString();
  }

  /** The message for a command-line error, without the {@code longshot CMD: } prefix. */
  public static String message(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().getFirst();
      if (first.startsWith("-")) {
        List<String> suggestions = u.getSuggestions();
        return "unknown option " + first + "; known: " + known(e.getCommandLine().getCommandSpec())
            + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
      }
      return "unexpected argument " + first + "; usage: bin/longshot " + synopsis(e.getCommandLine().getCommandSpec());
    }
    if (e instanceof CommandLine.MissingParameterException m) {
      List<ArgSpec> missing = m.getMissing();
      if (!missing.isEmpty() && missing.getFirst() instanceof OptionSpec o && e.getMessage().startsWith("Missing required parameter for option")) {
        return o.longestName() + " needs a value";
      }
      return "usage: bin/longshot " + synopsis(e.getCommandLine().getCommandSpec());
    }
    return e.getMessage();
  }

  private static List<String> known(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        out.add(o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : ""));
      }
    }
    return out.stream().sorted().collect(Collectors.toList());
  }
}
