package dev.longshot.app.cli;

import dev.longshot.config.ConfigException;
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
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
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
    return sub.execute(Arrays.copyOfRange(args, 1, args.length));
  }

  private static void usage(Map<String, CommandLine> commands, PrintStream out) {
    out.println("usage: bin/longshot <command> [args]");
    for (Map.Entry<String, CommandLine> e : commands.entrySet()) {
      CommandSpec spec = e.getValue().getCommandSpec();
      out.printf("  %-10s %s  %s%n", e.getKey(), CommandLines.synopsis(spec), spec.usageMessage().description()[0]);
    }
    out.println("Every command takes --config FILE and --help.");
  }

  /** {@code attention-search}: the vlm-runtime's command, passed through whole like {@code generate}. */
  @Command(name = "attention-search",
      customSynopsis = "attention-search --model PATH --prompt-file FILE... --out FILE",
      description = "find each attention head's sparse prefill pattern (MMInference) on your prompts")
  static final class AttentionSearchVerb implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    AttentionSearchVerb(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return dev.longshot.vlm.cli.AttentionSearchCommand.run(args.toArray(String[]::new), out, err);
    }
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
    List<String> args = new ArrayList<>();

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
