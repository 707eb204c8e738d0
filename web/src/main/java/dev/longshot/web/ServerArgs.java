package dev.longshot.web;

import dev.longshot.app.cli.CommandLines;
import dev.longshot.config.ServerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Unmatched;

/**
 * The command line of {@code bin/longshot serve}: {@code --port N} and {@code --config FILE} (also as {@code
 * --port=N}); everything else goes to Spring unchanged. Declared for picocli like every other command.
 *
 * @param port the port, or null to use {@code server.port} from the config
 * @param configFile the YAML file, or null for the usual lookup ({@code $LONGSHOT_CONFIG}, {@code ./longshot.yaml})
 * @param rest the remaining arguments
 */
public record ServerArgs(Integer port, Path configFile, List<String> rest) {
  /** The declarations; picocli fills a fresh instance per parse. */
  @Command(name = "serve", description = "start the web app (page + REST API + OpenAPI page)")
  static final class Declared {
    @Option(names = "--port", paramLabel = "N", description = "web port, 0 picks a free one (default: server.port)")
    Integer port;
    @Option(names = "--config", paramLabel = "FILE",
        description = "settings file (default: $LONGSHOT_CONFIG, else ./longshot.yaml, else the defaults)")
    Path configFile;
    @Unmatched
    List<String> rest = new ArrayList<>();
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the option and the bad value
   */
  public static ServerArgs parse(String... args) {
    Declared d = new Declared();
    CommandLine cl = new CommandLine(d).setUnmatchedArgumentsAllowed(true).setUnmatchedOptionsArePositionalParams(true);
    try {
      cl.parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(CommandLines.message(e), e);
    }
    if (d.port != null && (d.port < 0 || d.port > ServerSettings.MAX_PORT)) {
      throw new IllegalArgumentException("--port " + d.port + " is out of range; allowed is 0 to " + ServerSettings.MAX_PORT
          + " (0 picks a free port)");
    }
    return new ServerArgs(d.port, d.configFile, List.copyOf(d.rest));
  }
}
