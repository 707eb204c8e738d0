package dev.longshot.app.cli;

import dev.longshot.timeline.Timestamps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.timeline.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliPartsTest {
  @Test
  void argsSplitPositionalsOptionsAndFlags() {
    Args a = new Args(new String[] {"what is said?", "--video", "abc", "--json", "--config=x.yaml"}, Set.of("video", "config"), Set.of("json"));
    assertThat(a.positional()).containsExactly("what is said?");
    assertThat(a.option("video")).isEqualTo("abc");
    assertThat(a.flag("json")).isTrue();
    assertThat(a.configFile()).hasToString("x.yaml");
  }

  @Test
  void argsRejectUnknownOptionsAndMissingValues() {
    assertThatThrownBy(() -> new Args(new String[] {"--vidoe", "x"}, Set.of("video"), Set.of()))
        .hasMessageContaining("--vidoe").hasMessageContaining("--video VALUE");
    assertThatThrownBy(() -> new Args(new String[] {"--video"}, Set.of("video"), Set.of())).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> new Args(new String[] {"--jobs", "two"}, Set.of("jobs"), Set.of()).intOption("jobs", 1))
        .hasMessageContaining("two");
  }

  @Test
  void timestampsUseMinutesThenHours() {
    assertThat(Timestamps.format(83_400)).isEqualTo("01:23");
    assertThat(Timestamps.format(3_723_000)).isEqualTo("1:02:03");
    assertThat(Timestamps.format(-5)).isEqualTo("00:00");
  }

  @Test
  void progressBarPrintsOneLinePerTenPercentWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "talk.mp4", false);
    for (int i = 0; i <= 100; i++) {
      bar.onProgress(new Progress("decode", i / 100.0, Duration.ofSeconds(100 - i), ""));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(11);
    assertThat(lines[5]).startsWith("talk.mp4 [###############...............]  50% decode").contains("ETA 0:50");
    assertThat(lines[10]).contains("100%").doesNotContain("ETA");
  }

  @Test
  void unknownCommandIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"frobnicate"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("frobnicate").contains("ask");
  }
}
