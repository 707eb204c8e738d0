package dev.longshot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private static final Map<String, String> ENV = Map.of("HOME", "/home/u");

  @Test
  void defaultsAreValidAndDocumented() {
    LongshotConfig c = ConfigLoader.load(null, ENV);
    assertThat(c.data().dir()).isEqualTo(Path.of("/home/u/.longshot"));
    assertThat(c.ingest().sampleFps()).isEqualTo(0.5);
    assertThat(c.asr().backend()).isEqualTo(AsrBackend.POCKETSPHINX);
    assertThat(c.answer().timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.server().allowedRoots()).isEmpty();
    assertThat(c.embeddings().modelPath()).isNull();
    assertThat(c.embeddings().windowOverlap()).isEqualTo(0.5);
  }

  @Test
  void windowOverlapOfAWholeWindowIsRejected() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_EMBEDDINGS_WINDOW_OVERLAP", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("embeddings.window-overlap")
        .hasMessageContaining("0.0 to 0.9");
  }

  @Test
  void fileOverridesDefaultsAndEnvOverridesFile() throws IOException {
    Path f = tmp.resolve("l.yaml");
    Files.writeString(f, """
        ingest:
          sample-fps: 2
        server:
          port: 9000
          allowed-roots: [/videos, /mnt/talks]
        """);
    LongshotConfig c = ConfigLoader.load(f, Map.of("HOME", "/h", "LONGSHOT_DATA_DIR", tmp.toString(), "LONGSHOT_SERVER_PORT", "9100"));
    assertThat(c.ingest().sampleFps()).isEqualTo(2.0);
    assertThat(c.ingest().jpegQuality()).isEqualTo(85);
    assertThat(c.server().port()).isEqualTo(9100);
    assertThat(c.server().allowedRoots()).containsExactly(Path.of("/videos"), Path.of("/mnt/talks"));
    assertThat(c.data().dir()).isEqualTo(tmp.toAbsolutePath());
    assertThat(c.data().indexDir()).isEqualTo(tmp.toAbsolutePath().resolve("index"));
  }

  @Test
  void envListsAreCommaSeparated() {
    LongshotConfig c = ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_SERVER_ALLOWED_ROOTS", "/a, /b"));
    assertThat(c.server().allowedRoots()).containsExactly(Path.of("/a"), Path.of("/b"));
  }

  @Test
  void outOfRangeValueNamesKeyValueAndAllowedRange() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_INGEST_SAMPLE_FPS", "500")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.sample-fps")
        .hasMessageContaining("500")
        .hasMessageContaining("0.01 to 30.0");
  }

  @Test
  void theVisionEncoderDefaultsToJavaAndIsAClosedChoice() {
    assertThat(ConfigLoader.load(null, ENV).vlm().visionEncoder()).isEqualTo(VisionEncoder.JAVA);
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_VISION_ENCODER", "onnx")).vlm()
        .visionEncoder()).isEqualTo(VisionEncoder.ONNX);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_VISION_ENCODER", "tflite")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vlm.vision-encoder")
        .hasMessageContaining("[java, onnx]");
  }

  @Test
  void theVisionPrecisionDefaultsToBf16AndIsAClosedChoice() {
    assertThat(ConfigLoader.load(null, ENV).vlm().visionPrecision()).isEqualTo(VisionPrecision.BF16);
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_VISION_PRECISION", "f32")).vlm()
        .visionPrecision()).isEqualTo(VisionPrecision.F32);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_VISION_PRECISION", "fp8")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vlm.vision-precision")
        .hasMessageContaining("[bf16, f32]");
  }

  @Test
  void kvCompressionSettingsDefaultToTheFullCacheAndRejectBadValues() {
    VlmSettings defaults = ConfigLoader.load(null, ENV).vlm();
    assertThat(defaults.kvPolicy()).isEqualTo(KvPolicy.FULL);
    assertThat(defaults.kvBudget()).isEqualTo(0.2);
    assertThat(defaults.kvRecentShare()).isEqualTo(0.5);
    assertThat(defaults.kvMerge()).isEqualTo(KvMerge.PIVOTAL);
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_KV_POLICY", "LookM")).vlm().kvPolicy())
        .isEqualTo(KvPolicy.LOOKM);
    for (String budget : new String[] {"0", "1.5", "-0.1"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_KV_BUDGET", budget)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("vlm.kv-budget")
          .hasMessageContaining("(0, 1]");
    }
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_KV_POLICY", "snapkv")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vlm.kv-policy")
        .hasMessageContaining("[full, lookm, h2o, recent]");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_VLM_KV_MERGE", "mean")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vlm.kv-merge")
        .hasMessageContaining("[pivotal, averaged, weighted]");
  }

  @Test
  void unparsableNumberNamesKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_SERVER_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.port")
        .hasMessageContaining("eighty");
  }

  @Test
  void unknownBackendListsAlternatives() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_BACKEND", "vosk")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("asr.backend")
        .hasMessageContaining("pocketsphinx");
  }

  @Test
  void ocrBackendsAreTesseractPaddleAndNone() {
    OcrSettings defaults = ConfigLoader.load(null, ENV).ocr();
    assertThat(defaults.backend()).isEqualTo(OcrBackend.TESSERACT);
    assertThat(defaults.paddleModelDir()).isNull();
    OcrSettings paddle = ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_OCR_BACKEND", "paddle",
        "LONGSHOT_OCR_PADDLE_MODEL_DIR", "/models/ppocr")).ocr();
    assertThat(paddle.backend()).isEqualTo(OcrBackend.PADDLE);
    assertThat(paddle.paddleModelDir()).isEqualTo(Path.of("/models/ppocr"));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_OCR_BACKEND", "ppocr")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ocr.backend")
        .hasMessageContaining("tesseract, paddle, none");
  }

  @Test
  void asrDecodersDefaultsToOnePerCoreAndRejectsNegatives() {
    assertThat(ConfigLoader.load(null, ENV).asr().decoders()).isZero();
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_DECODERS", "3")).asr().decoders()).isEqualTo(3);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_DECODERS", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("asr.decoders")
        .hasMessageContaining("-1");
  }

  @Test
  void typoInFileIsRejectedWithKnownKeys() throws IOException {
    Path f = tmp.resolve("typo.yaml");
    Files.writeString(f, "ingest:\n  sample-fsp: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.sample-fsp")
        .hasMessageContaining("sample-fps");
  }

  @Test
  void brokenYamlAndDuplicatedKeysGiveOneLineWithThePosition() throws IOException {
    // snakeyaml's getMessage() is four lines (context, snippet, caret); the old message passed it on whole
    Path dup = tmp.resolve("dup.yaml");
    Files.writeString(dup, "ingest:\n  sample-fps: 1\n  sample-fps: 2\n");
    assertThatThrownBy(() -> ConfigLoader.load(dup, ENV)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("dup.yaml").hasMessageContaining("sample-fps").hasMessageContaining("line 3")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Path alias = tmp.resolve("alias.yaml");
    Files.writeString(alias, "ingest:\n  sample-fps: *nowhere\n");
    assertThatThrownBy(() -> ConfigLoader.load(alias, ENV)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("nowhere").hasMessageContaining("line 2, column 15")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aValueHoldingNewlinesAndEscapesIsQuotedOnOneLine() throws IOException {
    Path f = tmp.resolve("escape.yaml");
    Files.writeString(f, "ingest:\n  sample-fps: \"1\\n\\e[2JInjected\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, ENV)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.sample-fps").hasMessageContaining("1\\n\\u001b[2JInjected")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u001b"));
  }

  @Test
  void badDurationAndMissingFileAreClear() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ANSWER_TIMEOUT", "soon")))
        .hasMessageContaining("answer.timeout").hasMessageContaining("30s");
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("nope.yaml"), ENV)).hasMessageContaining("nope.yaml");
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "ingest: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad, ENV)).isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
  }

  @Test
  void requiredModelPathsAreEnforcedPerBackend() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_BACKEND", "whisper")))
        .hasMessageContaining("asr.whisper-model");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ANSWER_BACKEND", "openai")))
        .hasMessageContaining("answer.base-url");
  }

  @Test
  void aConfiguredModelFileThatIsNotThereStopsLoadingWithTheKeyAndWhatToDo() throws IOException {
    Path missing = tmp.resolve("models/ggml-base.en.bin");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_BACKEND", "whisper",
        "LONGSHOT_ASR_WHISPER_MODEL", missing.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("asr.whisper-model").hasMessageContaining(missing.toString())
        .hasMessageContaining("asr.backend to pocketsphinx").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_DETECTOR_BACKEND", "yolo",
        "LONGSHOT_DETECTOR_YOLO_MODEL", tmp.resolve("yolov8n.onnx").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("detector.yolo-model").hasMessageContaining("detector.backend to opencv");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ANSWER_BACKEND", "embedded",
        "LONGSHOT_VLM_MODEL", tmp.resolve("SmolVLM2.gguf").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vlm.model").hasMessageContaining("answer.backend to extractive");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_BACKEND", "whisper",
        "LONGSHOT_ASR_WHISPER_MODEL", tmp.toString())))
        .as("a directory is not a model file").isInstanceOf(ConfigException.class).hasMessageContaining("asr.whisper-model");
    Path model = Files.writeString(tmp.resolve("ggml-tiny.bin"), "x");
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_BACKEND", "whisper",
        "LONGSHOT_ASR_WHISPER_MODEL", model.toString())).asr().whisperModel()).isEqualTo(model);
    assertThat(ConfigLoader.load(null, Map.of("HOME", "/h", "LONGSHOT_ASR_WHISPER_MODEL", missing.toString())).asr().backend())
        .as("a model path of a backend not in use is not checked").isEqualTo(AsrBackend.POCKETSPHINX);
  }

  @Test
  void kebabCaseOfComponentNames() {
    assertThat(ConfigLoader.kebab("sceneChangeThreshold")).isEqualTo("scene-change-threshold");
    assertThat(ConfigLoader.envName("data", "dir")).isEqualTo("LONGSHOT_DATA_DIR");
  }
}
