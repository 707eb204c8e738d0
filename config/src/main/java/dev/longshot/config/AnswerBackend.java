package dev.longshot.config;

/** Who writes the answer ({@code answer.backend}). */
public enum AnswerBackend implements ConfigChoice {
  /** No model: the answer quotes the evidence (default). */
  EXTRACTIVE,
  /** Any OpenAI-compatible server; needs {@code answer.base-url} and {@code answer.model}. */
  OPENAI,
  /** The in-process vlm-runtime; needs {@code vlm.model}. */
  EMBEDDED;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
