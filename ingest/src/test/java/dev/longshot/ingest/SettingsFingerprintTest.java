package dev.longshot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFingerprintTest {
  @TempDir Path tmp;

  private static LongshotConfig config(Map<String, String> env) {
    var all = new java.util.HashMap<>(env);
    all.put("HOME", "/h");
    return ConfigLoader.load(null, all);
  }

  @Test
  void speedOnlySettingsKeepRecordsOutputSettingsRedoThem() throws IOException {
    Path video = tmp.resolve("talk.mp4");
    Files.writeString(video, "x");
    String base = SettingsFingerprint.of(config(Map.of()), "b", video);
    assertThat(SettingsFingerprint.of(config(Map.of("LONGSHOT_ASR_DECODERS", "7")), "b", video)).isEqualTo(base);
    assertThat(SettingsFingerprint.of(config(Map.of("LONGSHOT_ASR_CHUNK_SECONDS", "20")), "b", video)).isNotEqualTo(base);
    assertThat(SettingsFingerprint.of(config(Map.of("LONGSHOT_INGEST_SAMPLE_FPS", "1")), "b", video)).isNotEqualTo(base);
    // an unused backend's model directory does not count; the one in use does
    assertThat(SettingsFingerprint.of(config(Map.of("LONGSHOT_OCR_PADDLE_MODEL_DIR", "/m")), "b", video))
        .isEqualTo(base);
    String paddle = SettingsFingerprint.of(config(Map.of("LONGSHOT_OCR_BACKEND", "paddle")), "b", video);
    assertThat(SettingsFingerprint.of(config(Map.of("LONGSHOT_OCR_BACKEND", "paddle",
        "LONGSHOT_OCR_PADDLE_MODEL_DIR", "/m")), "b", video)).isNotEqualTo(paddle);
    Files.writeString(tmp.resolve("talk.srt"), "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
    assertThat(SettingsFingerprint.of(config(Map.of()), "b", video)).isNotEqualTo(base);
  }

  /** A recogniser's own settings count only for the records it transcribed; without them the text is as before. */
  @Test
  void aTranscribersSettingsCountOnlyWhenGiven() throws IOException {
    Path video = tmp.resolve("talk.mp4");
    Files.writeString(video, "x");
    String none = SettingsFingerprint.of(config(Map.of()), "b", video);
    assertThat(SettingsFingerprint.of(config(Map.of()), "b", video, "")).isEqualTo(none);
    String a = SettingsFingerprint.of(config(Map.of()), "b", video, "pocketsphinx[-lpbeam, 1e-30]");
    assertThat(a).isNotEqualTo(none)
        .isNotEqualTo(SettingsFingerprint.of(config(Map.of()), "b", video, "pocketsphinx[-lpbeam, 1e-31]"));
  }

  /** Backend names enter the hashed text exactly as spelled in the config, so typed settings redo no record. */
  @Test
  void backendsAreHashedByTheirConfigNames() {
    String text = SettingsFingerprint.describe(config(Map.of("LONGSHOT_OCR_BACKEND", "paddle")), "b", tmp.resolve("v.mp4"));
    assertThat(text).contains("|asr[backend=pocketsphinx, pocketsphinxModelDir=")
        .contains("|OcrSettings[backend=paddle, tessdataDir=")
        .contains("|DetectorSettings[backend=opencv, yoloModel=");
  }
}
