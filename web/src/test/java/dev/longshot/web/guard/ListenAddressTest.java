package dev.longshot.web.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.web.LongshotWebApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 12, point 2: the server listens on loopback unless told otherwise, and never openly on the network. */
class ListenAddressTest {
  private static Path config(String server) throws IOException {
    Path dir = Files.createTempDirectory("longshot-listen");
    Path yaml = dir.resolve("longshot.yaml");
    Files.writeString(yaml, "data:\n  dir: " + dir.resolve("data") + "\nserver:\n" + server);
    return yaml;
  }

  @Test
  void aNonLoopbackAddressWithoutAKeyRefusesToStartAndSaysWhatToSet() throws IOException {
    Path yaml = config("  address: 0.0.0.0\n");
    assertThatThrownBy(() -> LongshotWebApplication.start("--port", "0", "--config", yaml.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server.address is 0.0.0.0")
        .hasMessageContaining("server.api-key")
        .hasMessageContaining("LONGSHOT_SERVER_API_KEY");
  }

  @Test
  void loopbackIsTheDefaultAndNeedsNoKey() {
    dev.longshot.config.LongshotConfig defaults = dev.longshot.config.ConfigLoader.load(null, java.util.Map.of());
    assertThat(defaults.server().address()).isEqualTo("127.0.0.1");
    ListenAddress.requireSafe(defaults.server());
    assertThat(ListenAddress.isLoopback("localhost")).isTrue();
    assertThat(ListenAddress.isLoopback("::1")).isTrue();
    assertThat(ListenAddress.isLoopback("0.0.0.0")).isFalse();
  }
}
