package dev.longshot.config;

/**
 * How the embedded runtime computes prefill attention (key {@code vlm.attention}, {@code generate --attention}):
 * {@code dense} (exact, the reference) or {@code mminference} (per-head sparse patterns from
 * {@code vlm.attention-patterns}, MMInference).
 */
public enum VlmAttention implements ConfigChoice {
  DENSE,
  MMINFERENCE;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
