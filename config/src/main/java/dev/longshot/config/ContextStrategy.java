package dev.longshot.config;

/**
 * How a text longer than the encoder's trained window (512 tokens for BERT-family models) is embedded. The
 * training-free methods follow LongEmbed (Zhu et al. 2024, "Extending Embedding Models for Long Context
 * Retrieval"); texts within the trained window are always encoded by the unmodified model.
 */
public enum ContextStrategy implements ConfigChoice {
  /** Baseline: keep the first window of tokens, drop the rest. */
  TRUNCATE,
  /**
   * Parallel context windows: split into trained-size windows (half-overlapping by default, {@code
   * embeddings.window-overlap}), encode each, mean-pool the window vectors weighted by length.
   */
  PARALLEL_WINDOWS,
  /** Position interpolation: the position table is stretched to the extended length (row j = p_{j/s}). */
  POSITION_INTERPOLATION,
  /** Grouped positions: s neighbouring tokens share one trained position id (floor(p / s)). */
  GROUPED_POSITIONS;

  /** Whether this strategy runs long inputs through one full-attention pass of an edited model. */
  public boolean editsModel() {
    return this == POSITION_INTERPOLATION || this == GROUPED_POSITIONS;
  }


  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
