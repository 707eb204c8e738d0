package dev.longshot.app.cli;

import dev.longshot.config.ConfigException;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.OneLine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class Main {
  /** Columns of {@code help}'s lines, as in the launcher's own usage. */
  private static final int USAGE_WIDTH = 120;

  private Main() {}

  public static void main(String[] args) {
    // Longshot's own messages go to the terminal; library output goes to the data directory's log (LibraryOutput).
    System.exit(run(args, System.out, LibraryOutput.terminal()));
  }

  /** Every verb's command line, in the order {@code help} lists them, writing to {@code out} and {@code err}. */
  static Map<String, CommandLine> commands(PrintStream out, PrintStream err) {
    Map<String, CommandLine> commands = new LinkedHashMap<>();
    for (Object verb : new Object[] {new IngestCommand(out, err), new IndexCommand(out, err), new AskCommand(out),
        new EvalCommand(out), new DemoCommand(out, err), new GenerateVerb(out, err),
        new AttentionSearchVerb(out, err), new EmbedCommand(out)}) {
      CommandLine cl = new CommandLine(verb);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      commands.put(cl.getCommandName(), cl);
    }
    return commands;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, CommandLine> commands = commands(out, err);
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage(commands, out);
      return args.length == 0 ? 2 : 0;
    }
    CommandLine sub = commands.get(args[0]);
    if (sub == null) {
      err.println("longshot: '" + args[0] + "' is not available in this build yet (or is not a command).");
      usage(commands, err);
      return 2;
    }
    String verb = args[0];
    sub.setParameterExceptionHandler((ParameterException e, String[] a) -> {
      err.println(OneLine.of("longshot " + verb + ": " + CommandLines.message(e)));
      return 2;
    });
    // every message is printed as one printable line: it may quote a file name or a value from a hostile file
    sub.setExecutionExceptionHandler((Exception e, CommandLine c, CommandLine.ParseResult r) -> {
      if (e instanceof ConfigException) {
        err.println(OneLine.of("longshot: " + e.getMessage()));
        return 2;
      }
      if (e instanceof IllegalArgumentException) {
        err.println(OneLine.of("longshot " + verb + ": " + e.getMessage()));
        return 2;
      }
      err.println(OneLine.of("longshot " + verb + " failed: " + e.getMessage()));
      return 1;
    });
    return sub.execute(Arrays.copyOfRange(args, 1, args.length));
  }

  /** One line per verb: its synopsis, then its description on the next line when both do not fit in 120 columns. */
  private static void usage(Map<String, CommandLine> commands, PrintStream out) {
    out.println("usage: bin/longshot <command> [args]");
    for (CommandLine cl : commands.values()) {
      CommandSpec spec = cl.getCommand() instanceof PassThrough p ? p.declared() : cl.getCommandSpec();
      String synopsis = CommandLines.synopsis(spec);
      String description = spec.usageMessage().description()[0];
      if (2 + synopsis.length() + 2 + description.length() <= USAGE_WIDTH) {
        out.println("  " + synopsis + "  " + description);
      } else {
        out.println("  " + synopsis);
        out.println("      " + description);
      }
    }
    out.println("Every command takes --help, and --verbose to show the libraries' output here (else it goes to");
    out.println("DATA_DIR/logs/longshot.log); those that read the settings take --config FILE.");
  }

  /**
   * A verb whose options are declared in another module (vlm-runtime) and parsed there: its arguments are passed
   * through whole, and {@code help} describes it from those declarations.
   */
  interface PassThrough {
    CommandSpec declared();
  }

  /** {@code attention-search}: the vlm-runtime's command, passed through whole like {@code generate}. */
  @Command(name = "attention-search")
  static final class AttentionSearchVerb implements Callable<Integer>, PassThrough {
    private final PrintStream out;
    private final PrintStream err;
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    AttentionSearchVerb(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public CommandSpec declared() {
      return dev.longshot.vlm.cli.AttentionSearchCommand.spec();
    }

    @Override
    public Integer call() {
      return dev.longshot.vlm.cli.AttentionSearchCommand.run(quietLibraries(args, err), out, err);
    }
  }

  /**
   * {@code generate}: the vlm-runtime's own command line, passed through whole (its options and help are declared
   * in {@code dev.longshot.vlm.cli.GenerateCommand}).
   */
  @Command(name = "generate")
  static final class GenerateVerb implements Callable<Integer>, PassThrough {
    private final PrintStream out;
    private final PrintStream err;
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    GenerateVerb(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public CommandSpec declared() {
      return dev.longshot.vlm.cli.GenerateCommand.spec();
    }

    @Override
    public Integer call() {
      return dev.longshot.vlm.cli.GenerateCommand.run(quietLibraries(args, err), out, err);
    }
  }

  /**
   * For the vlm-runtime's own commands, which read no {@code --config}: without {@code --verbose}, library output
   * goes to the default data directory's log; returns the arguments without {@code --verbose}.
   */
  private static String[] quietLibraries(List<String> args, PrintStream err) {
    List<String> rest = new ArrayList<>(args);
    if (!rest.remove("--verbose")) {
      LibraryOutput.toLog(ConfigLoader.load(null, System.getenv()).data().logFile(), err);
    }
    return rest.toArray(String[]::new);
  }
}
