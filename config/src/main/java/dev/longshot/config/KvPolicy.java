package dev.longshot.config;

/**
 * How the embedded runtime treats the KV cache of a multimodal prompt once prefill is done ({@code vlm.kv-policy},
 * {@code --kv-policy}): the one list of names every reader parses against.
 */
public enum KvPolicy implements ConfigChoice {
  /** Keep every entry (no compression). */
  FULL,
  /** LOOK-M: keep text and the recent window, fill the budget with the image entries text attends to most, merge the rest into their most similar kept entry. */
  LOOKM,
  /** H2O-style eviction: the entries with the most accumulated attention plus the recent window, no merging. */
  H2O,
  /** Only the most recent entries, as many as the budget allows. */
  RECENT;

  /** The policy called {@code value} (case-insensitive); a {@link ConfigException} naming {@code key} and the known names otherwise. */
  public static KvPolicy parse(String key, String value) {
    return Check.oneOf(key, value, KvPolicy.class);
  }

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
