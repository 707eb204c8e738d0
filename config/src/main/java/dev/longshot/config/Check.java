package dev.longshot.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** Validation helpers for the settings records; each failure is a {@link ConfigException} naming the key. */
public final class Check {
  private Check() {}

  public static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, value, "allowed is an integer from " + min + " to " + max);
    }
    return value;
  }

  public static long range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(key, value, "allowed is an integer from " + min + " to " + max);
    }
    return value;
  }

  public static double range(String key, double value, double min, double max) {
    if (Double.isNaN(value) || value < min || value > max) {
      throw new ConfigException(key, value, "allowed is a number from " + min + " to " + max);
    }
    return value;
  }

  /** Lower-cases {@code value} and checks it is one of {@code allowed}. */
  public static String oneOf(String key, String value, String... allowed) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (!Set.of(allowed).contains(v)) {
      throw new ConfigException(key, value, "allowed is one of " + Arrays.toString(allowed));
    }
    return v;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "must not be empty");
    }
    return value.trim();
  }
}
