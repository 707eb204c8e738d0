package dev.longshot.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * How LOOK-M folds an evicted KV entry into the kept entry whose key is most similar ({@code vlm.kv-merge}); the
 * formulas are in {@code dev.longshot.vlm.kv.KvMerger}.
 */
public enum KvMerge {
  /** LOOK-M's default: each evicted entry contributes its midpoint with the pivot, {@code (k_e + k_c) / 2}. */
  PIVOTAL("pivotal"),
  /** The plain mean of the kept entry and every evicted entry mapped to it. */
  AVERAGED("averaged"),
  /** Evicted entries at least as similar as their head's mean contribute {@code s_e * k_e} (cosine-weighted). */
  WEIGHTED("weighted");

  private final String configName;

  KvMerge(String configName) {
    this.configName = configName;
  }

  /** The name used in config. */
  public String configName() {
    return configName;
  }

  /** The merge called {@code value} (case-insensitive); a {@link ConfigException} naming {@code key} otherwise. */
  public static KvMerge parse(String key, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (KvMerge m : values()) {
      if (m.configName.equals(v)) {
        return m;
      }
    }
    throw new ConfigException(key, value, "allowed is one of " + Arrays.stream(values()).map(KvMerge::configName).toList());
  }
}
