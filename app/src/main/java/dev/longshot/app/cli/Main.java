package dev.longshot.app.cli;

import dev.longshot.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code bin/longshot} for every verb that does not need the web server. Exit codes: 0 success,
 * 1 the work failed (message on stderr), 2 bad usage or configuration.
 */
public final class Main {
  /** A verb of the command line. */
  interface Command {
    String summary();

    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  private static Map<String, Command> commands() {
    Map<String, Command> c = new LinkedHashMap<>();
    c.put("ingest", new IngestCommand());
    c.put("index", new IndexCommand());
    c.put("ask", new AskCommand());
    c.put("demo", new DemoCommand());
    c.put("generate", new Command() {
      @Override
      public String summary() {
        return "generate --model PATH --prompt TEXT  run the embedded transformer runtime";
      }

      @Override
      public int run(String[] args, PrintStream out, PrintStream err) {
        return dev.longshot.vlm.cli.GenerateCommand.run(args, out, err);
      }
    });
    c.put("attention-search", new Command() {
      @Override
      public String summary() {
        return "attention-search --model PATH --prompt-file FILE... --out FILE  find each head's sparse prefill pattern";
      }

      @Override
      public int run(String[] args, PrintStream out, PrintStream err) {
        return dev.longshot.vlm.cli.AttentionSearchCommand.run(args, out, err);
      }
    });
    return c;
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage(commands, out);
      return args.length == 0 ? 2 : 0;
    }
    Command cmd = commands.get(args[0]);
    if (cmd == null) {
      err.println("longshot: '" + args[0] + "' is not available in this build yet (or is not a command).");
      usage(commands, err);
      return 2;
    }
    try {
      return cmd.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (ConfigException e) {
      err.println("longshot: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("longshot " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("longshot " + args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static void usage(Map<String, Command> commands, PrintStream out) {
    out.println("usage: bin/longshot <command> [args]");
    commands.forEach((name, c) -> out.printf("  %-10s %s%n", name, c.summary()));
  }
}
