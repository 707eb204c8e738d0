package dev.longshot.config;

/**
 * How the embedded runtime computes prefill attention (key {@code vlm.attention}): {@code dense} (exact, the
 * reference) or {@code mminference} (per-head sparse patterns from {@code vlm.attention-patterns}, MMInference).
 */
public enum VlmAttention {
  DENSE,
  MMINFERENCE;

  /** The name in config files and on the command line. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code value} for {@code key}; the error lists the allowed names. */
  public static VlmAttention parse(String key, String value) {
    for (VlmAttention a : values()) {
      if (a.id().equals(value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT))) {
        return a;
      }
    }
    throw new ConfigException(key, value, "allowed is one of " + java.util.Arrays.stream(values())
        .map(VlmAttention::id).toList());
  }
}
