package dev.longshot.ingest;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations for tests: defaults plus overrides given as environment variables. */
final class TestConfigs {
  private TestConfigs() {}

  /** Defaults with {@code data.dir} = {@code dataDir}, no ASR, no detector, plus {@code overrides} (env names). */
  static LongshotConfig config(Path dataDir, String... overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", System.getProperty("user.home"));
    env.put("LONGSHOT_DATA_DIR", dataDir.toString());
    env.put("LONGSHOT_ASR_BACKEND", "none");
    env.put("LONGSHOT_DETECTOR_BACKEND", "none");
    for (int i = 0; i + 1 < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return ConfigLoader.load(null, env);
  }
}
