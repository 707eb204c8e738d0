package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpeechRecognizersTest {
  @Test
  void noneGivesNoRecognizer() {
    assertThat(SpeechRecognizers.create(new AsrSettings(AsrBackend.NONE, null, null, 10, 0))).isEmpty();
  }

  @Test
  void pocketsphinxIsTheWorkingDefault() {
    Optional<SpeechRecognizer> asr = SpeechRecognizers.create(
        new AsrSettings(AsrBackend.POCKETSPHINX, PocketSphinxSpeechRecognizerTest.MODEL, null, 10, 0));
    assertThat(asr).isPresent();
    try (SpeechRecognizer r = asr.get()) {
      assertThat(r.name()).isEqualTo("pocketsphinx");
    }
  }

  @Test
  void whisperWithMissingModelFailsNamingThePath() {
    Path missing = Path.of("/nonexistent/ggml-base.en.bin");
    assertThatThrownBy(() -> SpeechRecognizers.create(new AsrSettings(AsrBackend.WHISPER, null, missing, 10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }
}
