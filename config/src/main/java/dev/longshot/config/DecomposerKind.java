package dev.longshot.config;

/** How a question is split into retrieval requests ({@code retrieval.decomposer}). */
public enum DecomposerKind implements ConfigChoice {
  /** Keywords and cue words, no model (default). */
  RULES,
  /** Asks the configured answer backend; falls back to the rules on bad output. */
  MODEL;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
