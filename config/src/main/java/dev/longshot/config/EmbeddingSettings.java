package dev.longshot.config;

import java.nio.file.Path;

/**
 * Text embeddings (section {@code embeddings}).
 *
 * @param backend which encoder runs (see {@link EmbeddingBackend})
 * @param modelPath with {@code onnx}: a BERT-family ONNX model, {@code null} for the bundled BGE-small-en-v1.5; with
 *     {@code m2-bert}: the checkpoint directory (required)
 * @param tokenizerPath with {@code onnx}: the model's tokenizer.json, required with {@code model-path}; unused by
 *     {@code m2-bert} (its tokenizer lies in the directory)
 * @param contextStrategy how texts longer than the model's window are encoded (see {@link ContextStrategy})
 * @param maxTokens longest input, in tokens, after context extension; longer input is truncated with a warning
 * @param device where the model runs (see {@link EmbeddingDevice})
 * @param batchSize texts per ONNX Runtime call
 * @param windowOverlap with {@code parallel-windows}, the fraction of a window shared with the next one (0 to 0.9;
 *     0 is LongEmbed's disjoint windows, 0.5 starts a window every half window)
 */
public record EmbeddingSettings(
    EmbeddingBackend backend, Path modelPath, Path tokenizerPath, ContextStrategy contextStrategy, int maxTokens, EmbeddingDevice device, int batchSize,
    double windowOverlap) {
  public EmbeddingSettings {
    Check.present("embeddings.backend", backend, EmbeddingBackend.class);
    Check.present("embeddings.context-strategy", contextStrategy, ContextStrategy.class);
    Check.range("embeddings.max-tokens", maxTokens, 16, 65_536);
    Check.present("embeddings.device", device, EmbeddingDevice.class);
    Check.range("embeddings.batch-size", batchSize, 1, 1024);
    Check.range("embeddings.window-overlap", windowOverlap, 0.0, 0.9);
    if (backend == EmbeddingBackend.M2_BERT && modelPath == null) {
      throw new ConfigException("embeddings.model-path", null, "the m2-bert backend needs embeddings.model-path (its checkpoint directory)");
    }
    if (backend == EmbeddingBackend.ONNX && modelPath != null && tokenizerPath == null) {
      throw new ConfigException("embeddings.tokenizer-path", null, "a tokenizer.json path is required with embeddings.model-path");
    }
  }
}
