package dev.longshot.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A closed choice of a setting ({@code ocr.backend}, {@code retrieval.decomposer}, ...), implemented by an enum
 * whose constants are the allowed values: {@code PARALLEL_WINDOWS} is spelled {@code parallel-windows} in YAML
 * and in the environment. The enum is the one list of allowed values: {@link Check#oneOf(String, String, Class)}
 * parses with it and prints it in the error; registries switch on it exhaustively.
 */
public interface ConfigChoice {
  /** This constant's enum name. */
  String name();

  /** The value as written in the configuration: lower case, {@code _} as {@code -}. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The config names of all constants of {@code type}, in declaration order. */
  static <E extends Enum<E> & ConfigChoice> List<String> configNames(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(ConfigChoice::configName).toList();
  }
}
