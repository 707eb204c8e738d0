package dev.longshot.app.cli;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser: positional arguments plus {@code --flag} and {@code --option VALUE} (or {@code
 * --option=VALUE}). Unknown options are rejected with the list of known ones.
 */
final class Args {
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();

  /**
   * @param valued options that take a value (without dashes)
   * @param flags options without a value
   */
  Args(String[] args, Set<String> valued, Set<String> flags) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && a.length() > 2) {
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flags.contains(name) && value == null) {
          options.put(name, "true");
        } else if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--" + name + " needs a value");
            }
            value = args[++i];
          }
          options.put(name, value);
        } else {
          List<String> known = new ArrayList<>();
          valued.forEach(v -> known.add("--" + v + " VALUE"));
          flags.forEach(f -> known.add("--" + f));
          throw new IllegalArgumentException("unknown option " + a + "; known: " + known);
        }
      } else {
        positional.add(a);
      }
    }
  }

  List<String> positional() {
    return positional;
  }

  String option(String name) {
    return options.get(name);
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  Path configFile() {
    String c = options.get("config");
    return c == null ? null : Path.of(c);
  }

  /** The configuration: defaults, then {@code --config FILE} if given, then {@code LONGSHOT_*} variables. */
  LongshotConfig config() {
    return ConfigLoader.load(configFile(), System.getenv());
  }

  int intOption(String name, int fallback) {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got \"" + v + "\"");
    }
  }
}
