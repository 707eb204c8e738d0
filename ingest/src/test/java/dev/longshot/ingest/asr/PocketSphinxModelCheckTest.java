package dev.longshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.longshot.config.AsrBackend;
import dev.longshot.config.AsrSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of session 5: with the start-up warm-up gone, a broken model folder was first noticed by the first file
 * with audio, and several broken acoustic model files (a truncated {@code mdef}, a garbled {@code variances}, a
 * missing {@code sendump}) make PocketSphinx end the whole process (E_FATAL or a segfault, measured on Debian's
 * 0.8+5prealpha) instead of returning an error. The recogniser now checks the folder's files at construction: one
 * line naming the folder and the file, before any work.
 */
class PocketSphinxModelCheckTest {
  @TempDir Path tmp;

  /** The installed model as links, with {@code file} (relative) replaced by {@code bytes}, or removed for null. */
  private Path modelWith(String file, byte[] bytes) throws IOException {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir.resolve("en-us"));
    try (Stream<Path> all = Files.walk(PocketSphinxSpeechRecognizerTest.MODEL)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        Path rel = PocketSphinxSpeechRecognizerTest.MODEL.relativize(p);
        if (!rel.toString().equals(file)) {
          Files.createSymbolicLink(dir.resolve(rel.toString()), p);
        } else if (bytes != null) {
          Files.write(dir.resolve(rel.toString()), bytes);
        }
      }
    }
    return dir;
  }

  /** The first {@code length} bytes, at most half the file. */
  private static byte[] head(String file, int length) throws IOException {
    byte[] all = Files.readAllBytes(PocketSphinxSpeechRecognizerTest.MODEL.resolve(file));
    return Arrays.copyOf(all, Math.min(length, all.length / 2));
  }

  private static byte[] garbled(String file) throws IOException {
    byte[] all = Files.readAllBytes(PocketSphinxSpeechRecognizerTest.MODEL.resolve(file));
    java.util.Random r = new java.util.Random(14);
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) r.nextInt();
    }
    return all;
  }

  private static IllegalArgumentException refused(Path dir) {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> new PocketSphinxSpeechRecognizer(new AsrSettings(AsrBackend.POCKETSPHINX, dir, null, 8, 1)).close());
    assertThat(e).as("refused at construction").isNotNull();
    assertThat(e.getMessage()).contains(dir.toString()).doesNotContain("\n");
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {"en-us/mdef", "en-us/means", "en-us/variances", "en-us/transition_matrices",
      "en-us/sendump", "en-us.lm.bin", "cmudict-en-us.dict"})
  void aTruncatedFileIsRefusedByName(String file) throws IOException {
    assertThat(refused(modelWith(file, head(file, 4_000))).getMessage()).contains(file.substring(file.indexOf('/') + 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"en-us/mdef", "en-us/variances", "en-us.lm.bin", "cmudict-en-us.dict", "en-us/feat.params"})
  void aGarbledFileIsRefusedByName(String file) throws IOException {
    assertThat(refused(modelWith(file, garbled(file))).getMessage()).contains(file.substring(file.indexOf('/') + 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"en-us/sendump", "en-us/mdef", "en-us/feat.params", "en-us/transition_matrices", "en-us.lm.bin"})
  void aMissingFileIsRefusedByName(String file) throws IOException {
    assertThat(refused(modelWith(file, null)).getMessage()).contains(file.substring(file.indexOf('/') + 1));
  }

  @Test
  void theInstalledModelPassesWithoutLoadingADecoder() throws IOException {
    try (PocketSphinxSpeechRecognizer asr =
        new PocketSphinxSpeechRecognizer(new AsrSettings(AsrBackend.POCKETSPHINX, modelWith("none", null), null, 8, 1))) {
      assertThat(asr.decodersLoaded()).isZero();
    }
  }
}
