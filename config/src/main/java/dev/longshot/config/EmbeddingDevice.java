package dev.longshot.config;

/** Where the embedding model runs ({@code embeddings.device}). */
public enum EmbeddingDevice implements ConfigChoice {
  /** CUDA when the runtime has it and a device answers, else CPU (default). */
  AUTO,
  /** Always the CPU. */
  CPU,
  /** CUDA or fail. */
  CUDA;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
