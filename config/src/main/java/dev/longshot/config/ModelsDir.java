package dev.longshot.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one rule for where fetched and extracted model files live: {@code $LONGSHOT_MODELS_DIR}, else
 * {@code $HOME/.cache/longshot/models} ({@code setup/fetch-models.sh} uses the same rule). A cache: everything in it
 * can be fetched or extracted again.
 */
public final class ModelsDir {
  /** The environment variable that moves the directory. */
  public static final String ENV = "LONGSHOT_MODELS_DIR";

  private ModelsDir() {}

  /** The models directory for {@code env} (HOME falls back to the JVM's {@code user.home}). */
  public static Path of(Map<String, String> env) {
    String models = env.get(ENV);
    if (models != null && !models.isBlank()) {
      return Path.of(models);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".cache", "longshot", "models");
  }
}
