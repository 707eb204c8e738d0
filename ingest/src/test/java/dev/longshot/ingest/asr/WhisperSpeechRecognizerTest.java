package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp through whisper-jni. No ggml model can be downloaded here (no model hub is reachable and none ships
 * with Debian), so transcription itself is not exercised: these tests cover that the bundled native library loads
 * on this platform and that a missing, corrupt or truncated model file fails clearly, naming the file (corrupt ones
 * before native code sees them).
 */
class WhisperSpeechRecognizerTest {
  @Test
  void bundledNativeLibraryLoads() {
    assertThat(WhisperSpeechRecognizer.nativeLibraryLoads()).isTrue();
  }

  @Test
  void missingModelIsNamed(@TempDir Path dir) {
    Path model = dir.resolve("ggml-base.en.bin");
    assertThatThrownBy(() -> new WhisperSpeechRecognizer(new AsrSettings(AsrBackend.WHISPER, null, model, 10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not found")
        .hasMessageContaining(model.toString());
  }

  @Test
  void corruptModelIsRejectedBeforeNativeCode(@TempDir Path dir) throws Exception {
    long seed = 42;
    byte[] junk = new byte[4096];
    new Random(seed).nextBytes(junk);
    junk[0] = 'P';
    Path model = Files.write(dir.resolve("ggml-small.bin"), junk);
    assertThatThrownBy(() -> new WhisperSpeechRecognizer(new AsrSettings(AsrBackend.WHISPER, null, model, 10, 0)))
        .as("seed %d", seed)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whisper.cpp ggml model")
        .hasMessageContaining(model.toString());
  }

  /** Right magic, nothing else: passes our check, and whisper.cpp itself refuses it (its loader returns null). */
  @Test
  void truncatedModelIsRefusedByWhisperCpp(@TempDir Path dir) throws Exception {
    byte[] truncated = new byte[1024];
    truncated[0] = 0x6c;
    truncated[1] = 0x6d;
    truncated[2] = 0x67;
    truncated[3] = 0x67;
    Path model = Files.write(dir.resolve("ggml-truncated.bin"), truncated);
    assertThatThrownBy(() -> new WhisperSpeechRecognizer(new AsrSettings(AsrBackend.WHISPER, null, model, 10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining(model.toString());
  }

  @Test
  void emptyModelFileIsRejected(@TempDir Path dir) throws Exception {
    Path model = Files.createFile(dir.resolve("empty.bin"));
    assertThatThrownBy(() -> WhisperSpeechRecognizer.checkModel(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(model.toString());
  }
}
