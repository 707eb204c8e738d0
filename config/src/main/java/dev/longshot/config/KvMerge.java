package dev.longshot.config;

/**
 * How LOOK-M folds an evicted KV entry into the kept entry whose key is most similar ({@code vlm.kv-merge}); the
 * formulas are in {@code dev.longshot.vlm.kv.KvMerger}.
 */
public enum KvMerge implements ConfigChoice {
  /** LOOK-M's default: each evicted entry contributes its midpoint with the pivot, {@code (k_e + k_c) / 2}. */
  PIVOTAL,
  /** The plain mean of the kept entry and every evicted entry mapped to it. */
  AVERAGED,
  /** Evicted entries at least as similar as their head's mean contribute {@code s_e * k_e} (cosine-weighted). */
  WEIGHTED;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
