package dev.longshot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerArgsTest {
  @Test
  void parsesPortAndConfigAndPassesTheRestOn() {
    ServerArgs a = ServerArgs.parse("--port", "9001", "--config=/etc/l.yaml", "--debug");
    assertThat(a.port()).isEqualTo(9001);
    assertThat(a.configFile()).isEqualTo(Path.of("/etc/l.yaml"));
    assertThat(a.rest()).containsExactly("--debug");
    assertThat(ServerArgs.parse().port()).isNull();
  }

  @Test
  void badPortsNameTheValue() {
    assertThatThrownBy(() -> ServerArgs.parse("--port", "eighty")).hasMessageContaining("eighty");
    assertThatThrownBy(() -> ServerArgs.parse("--port=70000")).hasMessageContaining("70000").hasMessageContaining("65535");
    assertThatThrownBy(() -> ServerArgs.parse("--config")).hasMessageContaining("--config needs a value");
  }
}
