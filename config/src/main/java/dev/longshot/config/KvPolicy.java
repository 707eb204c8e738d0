package dev.longshot.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the embedded runtime treats the KV cache of a multimodal prompt once prefill is done ({@code vlm.kv-policy},
 * {@code --kv-policy}): the one list of names every reader parses against.
 */
public enum KvPolicy {
  /** Keep every entry (no compression). */
  FULL("full"),
  /** LOOK-M: keep text and the recent window, fill the budget with the image entries text attends to most, merge the rest into their most similar kept entry. */
  LOOKM("lookm"),
  /** H2O-style eviction: the entries with the most accumulated attention plus the recent window, no merging. */
  H2O("h2o"),
  /** Only the most recent entries, as many as the budget allows. */
  RECENT("recent");

  private final String configName;

  KvPolicy(String configName) {
    this.configName = configName;
  }

  /** The name used in config and on the command line. */
  public String configName() {
    return configName;
  }

  /** The policy called {@code value} (case-insensitive); a {@link ConfigException} naming {@code key} and the known names otherwise. */
  public static KvPolicy parse(String key, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (KvPolicy p : values()) {
      if (p.configName.equals(v)) {
        return p;
      }
    }
    throw new ConfigException(key, value, "allowed is one of " + Arrays.stream(values()).map(KvPolicy::configName).toList());
  }
}
