package dev.longshot.config;

/** Which text encoder runs ({@code embeddings.backend}). */
public enum EmbeddingBackend implements ConfigChoice {
  /** A BERT-family ONNX model on ONNX Runtime (default; the bundled BGE-small-en-v1.5 without {@code model-path}). */
  ONNX,
  /**
   * M2-BERT (Monarch Mixer) read from a directory ({@code model-path}: model.safetensors, config.json, tokenizer)
   * by the Java encoder in {@code embeddings}; reads up to its trained length (2k/8k/32k tokens) in one pass.
   */
  M2_BERT;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
