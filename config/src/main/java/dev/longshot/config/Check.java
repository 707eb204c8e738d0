package dev.longshot.config;

import java.util.Locale;

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

  /**
   * Parses {@code value} (case and surrounding blanks ignored) as one of {@code type}'s config names; the error
   * lists them all.
   */
  public static <E extends Enum<E> & ConfigChoice> E oneOf(String key, String value, Class<E> type) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.configName().equals(v)) {
        return e;
      }
    }
    throw new ConfigException(key, value, "allowed is one of " + ConfigChoice.configNames(type));
  }

  /** {@code value}, or a failure naming the key and listing the allowed values when it is missing. */
  public static <E extends Enum<E> & ConfigChoice> E present(String key, E value, Class<E> type) {
    if (value == null) {
      throw new ConfigException(key, null, "allowed is one of " + ConfigChoice.configNames(type));
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "must not be empty");
    }
    return value.trim();
  }
}
