package dev.longshot.config;

import java.nio.file.Path;

/**
 * Text embeddings (section {@code embeddings}).
 *
 * @param modelPath a BERT-family ONNX model; {@code null} uses the bundled BGE-small-en-v1.5
 * @param tokenizerPath the model's tokenizer.json; required with {@code model-path}
 * @param contextStrategy how texts longer than the model's window are encoded (see {@link ContextStrategy})
 * @param maxTokens longest input, in tokens, after context extension; longer input is truncated with a warning
 * @param device where the model runs (see {@link EmbeddingDevice})
 * @param batchSize texts per ONNX Runtime call
 * @param windowOverlap with {@code parallel-windows}, the fraction of a window shared with the next one (0 to 0.9;
 *     0 is LongEmbed's disjoint windows, 0.5 starts a window every half window)
 */
public record EmbeddingSettings(
    Path modelPath, Path tokenizerPath, ContextStrategy contextStrategy, int maxTokens, EmbeddingDevice device, int batchSize,
    double windowOverlap) {
  public EmbeddingSettings {
    Check.present("embeddings.context-strategy", contextStrategy, ContextStrategy.class);
    Check.range("embeddings.max-tokens", maxTokens, 16, 65_536);
    Check.present("embeddings.device", device, EmbeddingDevice.class);
    Check.range("embeddings.batch-size", batchSize, 1, 1024);
    Check.range("embeddings.window-overlap", windowOverlap, 0.0, 0.9);
    if (modelPath != null && tokenizerPath == null) {
      throw new ConfigException("embeddings.tokenizer-path", null, "a tokenizer.json path is required with embeddings.model-path");
    }
  }
}
