package dev.longshot.embeddings;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a text longer than the encoder's trained window (512 tokens for BERT-family models) is embedded. The
 * training-free methods follow LongEmbed (Zhu et al. 2024, "Extending Embedding Models for Long Context
 * Retrieval"); texts within the trained window are always encoded by the unmodified model.
 */
public enum ContextStrategy {
  /** Baseline: keep the first window of tokens, drop the rest. */
  TRUNCATE("truncate"),
  /**
   * Parallel context windows: split into trained-size windows (half-overlapping by default, {@code
   * embeddings.window-overlap}), encode each, mean-pool the window vectors weighted by length.
   */
  PARALLEL_WINDOWS("parallel-windows"),
  /** Position interpolation: the position table is stretched to the extended length (row j = p_{j/s}). */
  POSITION_INTERPOLATION("position-interpolation"),
  /** Grouped positions: s neighbouring tokens share one trained position id (floor(p / s)). */
  GROUPED_POSITIONS("grouped-positions");

  private final String configName;

  ContextStrategy(String configName) {
    this.configName = configName;
  }

  /** The name used in {@code embeddings.context-strategy}. */
  public String configName() {
    return configName;
  }

  /** Whether this strategy runs long inputs through one full-attention pass of an edited model. */
  public boolean editsModel() {
    return this == POSITION_INTERPOLATION || this == GROUPED_POSITIONS;
  }

  /** Looks a strategy up by its config name; an unknown name fails and lists the known ones. */
  public static ContextStrategy fromConfigName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ContextStrategy s : values()) {
      if (s.configName.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown context strategy '" + name + "'; known: "
        + Arrays.stream(values()).map(ContextStrategy::configName).toList());
  }
}
