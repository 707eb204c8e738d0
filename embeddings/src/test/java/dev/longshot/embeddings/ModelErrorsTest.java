package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.Check;
import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.EmbeddingDevice;
import dev.longshot.config.EmbeddingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing or corrupt model files fail with the path in the message; unknown names list the choices. */
class ModelErrorsTest {
  @TempDir Path dir;

  @Test
  void missingModelNamesThePath() throws IOException {
    Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
    Path missing = dir.resolve("nope.onnx");
    assertThatThrownBy(() -> TextEmbedders.create(
        new EmbeddingSettings(EmbeddingBackend.ONNX, missing, tokenizer, ContextStrategy.TRUNCATE, 8192, EmbeddingDevice.CPU, 8, 0.5)))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("embeddings.model-path").hasMessageContaining(missing.toString());
  }

  @Test
  void corruptModelNamesThePath() throws IOException {
    byte[] junk = new byte[4096];
    new Random(7).nextBytes(junk);
    Path model = Files.write(dir.resolve("broken.onnx"), junk);
    Path tokenizer = dir.resolve("tokenizer.json");
    Files.write(tokenizer, ModelSource.bundledBgeSmall().readTokenizer());
    assertThatThrownBy(() -> TextEmbedders.create(
        new EmbeddingSettings(EmbeddingBackend.ONNX, model, tokenizer, ContextStrategy.TRUNCATE, 8192, EmbeddingDevice.CPU, 8, 0.5)))
        .isInstanceOf(EmbeddingException.class).hasMessageContaining(model.toString());
  }

  @Test
  void aPositionTableClaimingAbsurdDimensionsNamesTheFileTheTableAndTheValue() throws IOException {
    Path model = Files.write(dir.resolve("hostile.onnx"), dev.longshot.embeddings.onnx.PositionTableEditorTest
        .modelWithTable(16, 1L << 40, 4).toByteArray());
    Path tokenizer = Files.write(dir.resolve("tokenizer.json"), ModelSource.bundledBgeSmall().readTokenizer());
    assertThatThrownBy(() -> TextEmbedders.create(
        new EmbeddingSettings(EmbeddingBackend.ONNX, model, tokenizer, ContextStrategy.TRUNCATE, 8192, EmbeddingDevice.CPU, 8, 0.5)))
        .isInstanceOf(EmbeddingException.class).hasMessageContaining(model.toString())
        .hasMessageContaining("position_embeddings").hasMessageContaining("1099511627776");
  }

  @Test
  void anOnnxFileTooLargeToReadIsRefusedBeforeReading() throws IOException {
    Path model = dir.resolve("huge.onnx");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(model.toFile(), "rw")) {
      f.setLength((1L << 31) + 16); // sparse: no disk is used
    }
    Path tokenizer = Files.write(dir.resolve("tokenizer.json"), ModelSource.bundledBgeSmall().readTokenizer());
    assertThatThrownBy(() -> TextEmbedders.create(
        new EmbeddingSettings(EmbeddingBackend.ONNX, model, tokenizer, ContextStrategy.TRUNCATE, 8192, EmbeddingDevice.CPU, 8, 0.5)))
        .isInstanceOf(EmbeddingException.class).hasMessageContaining(model.toString())
        .hasMessageContaining("2147483664");
  }

  @Test
  void modelFromPathsWorksLikeTheBundledOne() throws IOException {
    Path model = Files.write(dir.resolve("bge.onnx"), ModelSource.bundledBgeSmall().readOnnx());
    Path tokenizer = Files.write(dir.resolve("tokenizer.json"), ModelSource.bundledBgeSmall().readTokenizer());
    try (TextEmbedder e = TextEmbedders.create(new EmbeddingSettings(EmbeddingBackend.ONNX, model, tokenizer, ContextStrategy.PARALLEL_WINDOWS, 4096,
        EmbeddingDevice.AUTO, 8, 0.5))) {
      assertThat(e.name()).isEqualTo("bge");
      assertThat(e.maxTokens()).isEqualTo(4096);
      float[] fromPath = e.embedPassages(java.util.List.of("same text")).get(0);
      float[] bundled = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS).embedPassages(
          java.util.List.of("same text")).get(0);
      assertThat(fromPath).containsExactly(bundled, org.assertj.core.api.Assertions.within(1e-6f));
    }
  }

  @Test
  void cudaRequestedWithoutCudaRuntimeFailsClearly() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
        "this runtime has CUDA; the CPU-only failure path does not apply");
    assertThatThrownBy(() -> Devices.sessionOptions(EmbeddingDevice.CUDA, "bge"))
        .isInstanceOf(EmbeddingException.class).hasMessageContaining("embeddings.device=cuda");
  }

  @Test
  void unknownStrategyListsTheKnownOnes() {
    assertThatThrownBy(() -> Check.oneOf("embeddings.context-strategy", "rope", ContextStrategy.class))
        .hasMessageContaining("rope").hasMessageContaining("parallel-windows");
    for (ContextStrategy s : ContextStrategy.values()) {
      assertThat(Check.oneOf("embeddings.context-strategy", s.configName(), ContextStrategy.class)).isEqualTo(s);
    }
  }
}
