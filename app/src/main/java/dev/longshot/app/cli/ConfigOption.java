package dev.longshot.app.cli;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, which every command takes; mixed into each command. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "settings file (default: $LONGSHOT_CONFIG, else ./longshot.yaml, else the defaults)")
  Path file;

  /** The configuration: defaults, then {@code --config FILE} if given, then {@code LONGSHOT_*} variables. */
  LongshotConfig load() {
    return ConfigLoader.load(file, System.getenv());
  }
}
