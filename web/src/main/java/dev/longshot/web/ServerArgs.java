package dev.longshot.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code bin/longshot serve}: {@code --port N} and {@code --config FILE} (also as {@code
 * --port=N}); everything else goes to Spring unchanged.
 *
 * @param port the port, or null to use {@code server.port} from the config
 * @param configFile the YAML file, or null for the usual lookup ({@code $LONGSHOT_CONFIG}, {@code ./longshot.yaml})
 * @param rest the remaining arguments
 */
public record ServerArgs(Integer port, Path configFile, List<String> rest) {
  public static ServerArgs parse(String... args) {
    Integer port = null;
    Path config = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      boolean known = name.equals("--port") || name.equals("--config");
      if (!known) {
        rest.add(a);
        continue;
      }
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " needs a value, e.g. " + (name.equals("--port") ? "--port 8080" : "--config longshot.yaml"));
      }
      if (name.equals("--port")) {
        port = parsePort(value);
      } else {
        config = Path.of(value);
      }
    }
    return new ServerArgs(port, config, List.copyOf(rest));
  }

  private static int parsePort(String value) {
    try {
      int p = Integer.parseInt(value.trim());
      if (p < 0 || p > 65_535) {
        throw new IllegalArgumentException("--port " + value + " is out of range; allowed is 0 to 65535 (0 picks a free port)");
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port \"" + value + "\" is not a number; allowed is 0 to 65535", e);
    }
  }
}
