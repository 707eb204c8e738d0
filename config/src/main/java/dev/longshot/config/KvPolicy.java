package dev.longshot.config;

/**
 * How the embedded runtime treats the KV cache of a multimodal prompt once prefill is done ({@code vlm.kv-policy},
 * {@code generate --kv-policy}); the algorithms are in {@code dev.longshot.vlm.kv}.
 */
public enum KvPolicy implements ConfigChoice {
  /** Keep every entry (no compression). */
  FULL,
  /**
   * LOOK-M: keep text and the recent window, fill the budget with the image entries text attends to most, merge the
   * rest into their most similar kept entry.
   */
  LOOKM,
  /** H2O-style eviction: the entries with the most accumulated attention plus the recent window, no merging. */
  H2O,
  /** Only the most recent entries, as many as the budget allows. */
  RECENT;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
