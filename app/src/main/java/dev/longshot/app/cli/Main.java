package dev.longshot.app.cli;

import dev.longshot.config.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code bin/longshot} for every verb that does not need the web server. Each verb is a picocli
 * command whose declarations are its parser, its {@code --help} and its line in {@code help}. Exit codes: 0
 * success, 1 the work failed (message on stderr), 2 bad usage or configuration.
 */
@Command(name = "longshot")
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command line with every verb, writing to {@code out} and {@code err}. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new CommandLine(new IngestCommand(out, err)));
    cl.addSubcommand(new CommandLine(new IndexCommand(out, err)));
    cl.addSubcommand(new CommandLine(new AskCommand(out)));
    cl.addSubcommand(new CommandLine(new DemoCommand(out, err)));
    cl.addSubcommand(new CommandLine(new GenerateVerb(out, err)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(out, err);
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage(cl, out);
      return args.length == 0 ? 2 : 0;
    }
    CommandLine sub = cl.getSubcommands().get(args[0]);
    if (sub == null) {
      err.println("longshot: '" + args[0] + "' is not available in this build yet (or is not a command).");
      usage(cl, err);
      return 2;
    }
    String verb = args[0];
    sub.setParameterExceptionHandler((ParameterException e, String[] a) -> {
      err.println("longshot " + verb + ": " + CommandLines.message(e));
      return 2;
    });
    sub.setExecutionExceptionHandler((Exception e, CommandLine c, CommandLine.ParseResult r) -> {
      if (e instanceof ConfigException) {
        err.println("longshot: " + e.getMessage());
        return 2;
      }
      if (e instanceof IllegalArgumentException) {
        err.println("longshot " + verb + ": " + e.getMessage());
        return 2;
      }
      err.println("longshot " + verb + " failed: " + e.getMessage());
      return 1;
    });
    return sub.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
  }

  private static void usage(CommandLine cl, PrintStream out) {
    out.println("usage: bin/longshot <command> [args]");
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      CommandSpec spec = e.getValue().getCommandSpec();
      out.printf("  %-10s %s  %s%n", e.getKey(), CommandLines.synopsis(spec), spec.usageMessage().description()[0]);
    }
    out.println("Every command takes --config FILE and --help.");
  }

  /**
   * {@code generate}: the vlm-runtime's own command line, passed through whole (its options and help are declared
   * in {@code dev.longshot.vlm.cli.GenerateCommand}).
   */
  @Command(name = "generate", description = "run the embedded transformer runtime",
      customSynopsis = "generate --model PATH --prompt TEXT")
  static final class GenerateVerb implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    GenerateVerb(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return dev.longshot.vlm.cli.GenerateCommand.run(args.toArray(String[]::new), out, err);
    }
  }
}
