package dev.longshot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.fuzz.FuzzCheck;
import dev.longshot.config.fuzz.Mutations;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the settings file: a few thousand seeded mutants of the full defaults file (unknown and
 * duplicated keys, values of the wrong type, absurd numbers, broken YAML) each load or fail with a
 * {@link ConfigException} whose message is one line.
 */
class ConfigFuzzTest {
  private static final long SEED = 20261202L;

  @TempDir
  Path tmp;

  @Test
  void mutatedSettingsFilesLoadOrFailWithOneLine() throws Exception {
    String sample;
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/longshot-defaults.yaml")) {
      sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path f = tmp.resolve("longshot.yaml");
    FuzzCheck<String> c = new FuzzCheck<String>("longshot.yaml", SEED, 64L << 20, ConfigException.class)
        .run(Mutations.text(sample, SEED, 700), s -> {
          Files.write(f, s.getBytes(StandardCharsets.UTF_8));
          ConfigLoader.load(f, Map.of("HOME", "/home/u"));
        });
    assertThat(c.faults()).isEmpty();
    assertThat(c.refused()).isGreaterThan(200);
  }
}
