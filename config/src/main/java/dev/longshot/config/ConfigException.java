package dev.longshot.config;

/**
 * A setting has a value Longshot cannot run with. The message always names the key (as written in YAML, e.g.
 * {@code ingest.sample-fps}), the offending value, and what is allowed, so the user can fix it without reading
 * code. It is one printable line ({@link OneLine}) whatever the file held.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, Object value, String allowed) {
    super(OneLine.of("Invalid setting " + key + " = " + render(value) + ": " + allowed));
    this.key = key;
  }

  public ConfigException(String message, Throwable cause) {
    super(OneLine.of(message), cause);
    this.key = null;
  }

  /** The YAML key at fault, or {@code null} when the whole file is unreadable. */
  public String key() {
    return key;
  }

  private static String render(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
