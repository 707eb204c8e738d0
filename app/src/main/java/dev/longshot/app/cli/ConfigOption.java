package dev.longshot.app.cli;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --verbose}, which every command takes; mixed into each command. Loading the
 * configuration is also where library output leaves the terminal for the data directory's log
 * ({@link LibraryOutput}), unless {@code --verbose}.
 */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "settings file (default: $LONGSHOT_CONFIG, else ./longshot.yaml, else the defaults)")
  Path file;

  @Option(names = "--verbose",
      description = "show the libraries' output (logging, native messages) here, not in DATA_DIR/logs/longshot.log")
  boolean verbose;

  /**
   * The configuration: defaults, then {@code --config FILE} if given, then {@code LONGSHOT_*} variables; from here on
   * library output goes to {@code <data.dir>/logs/longshot.log} unless {@code --verbose}.
   */
  LongshotConfig load() {
    LongshotConfig config = ConfigLoader.load(file, System.getenv());
    if (!verbose) {
      LibraryOutput.toLog(config.data().logFile(), LibraryOutput.terminal());
    }
    return config;
  }
}
