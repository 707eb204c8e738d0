package dev.longshot.app.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
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

  /** Longest summary that lists every optional option; longer ones list the required ones and {@code [options]}. */
  private static final int SYNOPSIS_WIDTH = 72;

  /**
   * {@code name POSITIONALS [--option LABEL] [--flag]}: the command's synopsis without the common options, e.g.
   * {@code index DIR [--jobs N]}; an exclusive group reads {@code (--a X | --b Y)}. When that is longer than
   * {@value #SYNOPSIS_WIDTH} characters, the optional options become one {@code [options]} ({@code --help} lists them).
   */
  public static String synopsis(CommandSpec spec) {
    if (spec.usageMessage().customSynopsis().length > 0) {
      return spec.usageMessage().customSynopsis()[0];
    }
    StringBuilder required = new StringBuilder(spec.name());
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        required.append(' ').append(p.paramLabel()).append(p.arity().max() > 1 ? "..." : "");
      }
    }
    StringBuilder optional = new StringBuilder();
    Set<ArgGroupSpec> groups = new HashSet<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden() || COMMON.contains(o.longestName())) {
        continue;
      }
      ArgGroupSpec g = o.group();
      if (g != null) {
        if (groups.add(g)) {
          String inner = g.options().stream().map(CommandLines::one)
              .collect(Collectors.joining(g.exclusive() ? " | " : " "));
          if (g.multiplicity().min() > 0) {
            required.append(" (").append(inner).append(')');
          } else {
            optional.append(" [").append(inner).append(']');
          }
        }
      } else if (o.required()) {
        required.append(' ').append(one(o));
      } else {
        optional.append(" [").append(one(o)).append(']');
      }
    }
    return required.length() + optional.length() <= SYNOPSIS_WIDTH ? required + optional.toString()
        : optional.isEmpty() ? required.toString() : required + " [options]";
  }

  private static String one(OptionSpec o) {
    return o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
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
