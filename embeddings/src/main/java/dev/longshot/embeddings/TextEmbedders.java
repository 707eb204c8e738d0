package dev.longshot.embeddings;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.EmbeddingSettings;

/** The one place a {@link TextEmbedder} is built from configuration. */
public final class TextEmbedders {
  private TextEmbedders() {}

  /**
   * Builds the configured embedder. {@code m2-bert}: the Java M2-BERT encoder on the checkpoint directory
   * {@code model-path}. {@code onnx}: the bundled BGE-small-en-v1.5 when {@code model-path} is null, else the ONNX
   * model and tokenizer.json at the configured paths; long-text handling from {@code context-strategy}; CUDA or
   * CPU from {@code device}. Takes about a second on CPU (reading and loading a 133 MB model). The caller closes
   * the result; it is thread-safe.
   *
   * @throws EmbeddingException naming the file when a model or tokenizer is missing or corrupt
   */
  public static TextEmbedder create(EmbeddingSettings settings) {
    return switch (settings.backend()) {
      case ONNX -> createOnnx(settings);
      case M2_BERT -> new M2BertTextEmbedder(settings.modelPath(), Runtime.getRuntime().availableProcessors());
    };
  }

  /** The ONNX Runtime embedder of {@code settings}, whatever {@code backend} says. */
  public static OnnxTextEmbedder createOnnx(EmbeddingSettings settings) {
    ModelSource source = settings.modelPath() == null
        ? ModelSource.bundledBgeSmall()
        : ModelSource.fromFiles(settings.modelPath(), settings.tokenizerPath());
    return new OnnxTextEmbedder(source, settings.contextStrategy(),
        settings.maxTokens(), settings.device(), settings.batchSize(), settings.windowOverlap());
  }
}
