package dev.longshot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Builds a {@link LongshotConfig} from three layers, later ones winning: the bundled {@code
 * longshot-defaults.yaml}, the user's YAML file, and {@code LONGSHOT_<SECTION>_<KEY>} environment variables
 * ({@code LONGSHOT_DATA_DIR} sets {@code data.dir}). Keys are the kebab-case names of the record components
 * ({@code sampleFps} is {@code sample-fps}). An unknown key, an unparsable value or a value the record rejects
 * fails with a {@link ConfigException} naming the key. Stateless and thread-safe.
 */
public final class ConfigLoader {
  /** Environment variable naming the YAML file when no path is given on the command line. */
  public static final String CONFIG_ENV = "LONGSHOT_CONFIG";

  private static final String DEFAULTS = "longshot-defaults.yaml";
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the user's YAML file, or {@code null} to use {@code $LONGSHOT_CONFIG}, else {@code
   *     ./longshot.yaml} if it exists, else defaults only
   * @param env the environment (pass {@code System.getenv()}; tests pass their own map)
   */
  public static LongshotConfig load(Path file, Map<String, String> env) {
    Map<String, Object> tree = readYaml(DEFAULTS, ConfigLoader.class.getResourceAsStream("/" + DEFAULTS));
    Path userFile = file != null ? file : locate(env);
    if (userFile != null) {
      if (!Files.isRegularFile(userFile)) {
        throw new ConfigException("Config file " + userFile.toAbsolutePath() + " does not exist or is not a file", null);
      }
      try (InputStream in = Files.newInputStream(userFile)) {
        mergeInto(tree, readYaml(userFile.toString(), in), "");
      } catch (IOException e) {
        throw new ConfigException("Cannot read config file " + userFile.toAbsolutePath() + ": " + e.getMessage(), e);
      }
    }
    applyEnv(tree, env);
    return ModelFiles.requirePresent(bind(LongshotConfig.class, tree, "", env));
  }

  private static Path locate(Map<String, String> env) {
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = Path.of("longshot.yaml");
    return Files.isRegularFile(local) ? local : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(String name, InputStream in) {
    if (in == null) {
      throw new ConfigException("Missing resource " + name + " (is longshot-config on the classpath?)", null);
    }
    try (in) {
      Object doc = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
      if (doc == null) {
        return new LinkedHashMap<>();
      }
      if (!(doc instanceof Map<?, ?>)) {
        throw new ConfigException(name + ": the top level must be a mapping of sections (data:, ingest:, ...)", null);
      }
      return deepCopy((Map<String, Object>) doc);
    } catch (MarkedYamlEngineException e) {
      // getMessage() spans lines (the context, a snippet and a caret); the problem and its position fit on one
      String at = e.getProblemMark().map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
          .orElse("");
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      throw new ConfigException(name + " is not valid YAML: " + context + e.getProblem() + at, e);
    } catch (YamlEngineException e) {
      throw new ConfigException(name + " is not valid YAML: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return out;
  }

  /** Overlays {@code user} on {@code base}; a key the defaults do not know is an error (typos fail loudly). */
  @SuppressWarnings("unchecked")
  private static void mergeInto(Map<String, Object> base, Map<String, Object> user, String prefix) {
    for (Map.Entry<String, Object> e : user.entrySet()) {
      String key = prefix + e.getKey();
      if (!base.containsKey(e.getKey())) {
        throw new ConfigException(key, e.getValue(), "unknown key; known keys here are " + new TreeSet<>(base.keySet()));
      }
      Object current = base.get(e.getKey());
      if (current instanceof Map<?, ?> section) {
        if (!(e.getValue() instanceof Map<?, ?> userSection)) {
          throw new ConfigException(key, e.getValue(), "must be a section with keys " + new TreeSet<>(section.keySet()));
        }
        mergeInto((Map<String, Object>) section, (Map<String, Object>) userSection, key + ".");
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void applyEnv(Map<String, Object> tree, Map<String, String> env) {
    for (Map.Entry<String, Object> section : tree.entrySet()) {
      if (section.getValue() instanceof Map<?, ?> keys) {
        applyEnv(section.getKey(), (Map<String, Object>) keys, env);
      }
    }
  }

  /** Sets the keys of {@code section} (and of its sub-sections: {@code index.solr.zk-hosts} is {@code LONGSHOT_INDEX_SOLR_ZK_HOSTS}). */
  @SuppressWarnings("unchecked")
  private static void applyEnv(String section, Map<String, Object> keys, Map<String, String> env) {
    for (String key : new ArrayList<>(keys.keySet())) {
      if (keys.get(key) instanceof Map<?, ?> sub) {
        applyEnv(section + "_" + key, (Map<String, Object>) sub, env);
        continue;
      }
      String value = env.get(envName(section, key));
      if (value != null) {
        keys.put(key, value);
      }
    }
  }

  /** {@code ("ingest", "sample-fps")} is {@code LONGSHOT_INGEST_SAMPLE_FPS}. */
  public static String envName(String section, String key) {
    return ("LONGSHOT_" + section + "_" + key).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @SuppressWarnings("unchecked")
  private static <T> T bind(Class<T> type, Map<String, Object> values, String prefix, Map<String, String> env) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String yamlKey = kebab(c.getName());
      String key = prefix + yamlKey;
      Object raw = values.get(yamlKey);
      if (c.getType().isRecord()) {
        if (!(raw instanceof Map<?, ?> section)) {
          throw new ConfigException(key, raw, "must be a section");
        }
        args[i] = bind(c.getType(), (Map<String, Object>) section, key + ".", env);
      } else {
        args[i] = convert(key, raw, c.getGenericType(), env);
      }
    }
    try {
      Constructor<T> ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException("Invalid section " + prefix + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot construct " + type.getName(), e);
    }
  }

  private static Object convert(String key, Object raw, Type type, Map<String, String> env) {
    boolean unset = raw == null || (raw instanceof String s && (s.isBlank() || s.equals("null") || s.equals("~")));
    Class<?> cls = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (unset && !cls.isPrimitive()) {
      return cls == List.class ? List.of() : null;
    }
    String text = unset ? "" : String.valueOf(raw).trim();
    try {
      if (cls == String.class) {
        return text;
      } else if (cls == int.class) {
        return Integer.parseInt(text);
      } else if (cls == long.class) {
        return Long.parseLong(text);
      } else if (cls == double.class) {
        return Double.parseDouble(text);
      } else if (cls == boolean.class) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw new ConfigException(key, raw, "allowed is true or false");
        }
        return Boolean.parseBoolean(text);
      } else if (cls == Path.class) {
        return expandHome(text, env);
      } else if (cls == Duration.class) {
        return parseDuration(key, text);
      } else if (cls.isEnum() && ConfigChoice.class.isAssignableFrom(cls)) {
        return choice(key, text, cls);
      } else if (cls == List.class) {
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        List<?> items = raw instanceof List<?> l ? l : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
          out.add(convert(key, item, element, env));
        }
        return List.copyOf(out);
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(key, raw, "allowed is a " + cls.getSimpleName());
    }
    throw new IllegalStateException("No converter for " + type + " at " + key);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object choice(String key, String text, Class<?> cls) {
    return Check.oneOf(key, text, (Class) cls);
  }

  private static Path expandHome(String text, Map<String, String> env) {
    if (text.equals("~") || text.startsWith("~/")) {
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      return Path.of(home + text.substring(1));
    }
    return Path.of(text);
  }

  private static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      long millis = (long) (n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        default -> 3_600_000;
      });
      return Duration.ofMillis(millis);
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(key, text, "allowed is a duration such as 500ms, 30s, 5m or 1h");
    }
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
