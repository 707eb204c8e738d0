package dev.longshot.retrieval.query;

import java.util.Locale;
import java.util.Optional;

/** Video-RAG's TYPE field: which information about detected objects a question needs. */
public enum ObjectInfo {
  /** Where an object is in the frame. */
  LOCATION,
  /** How many of an object there are. */
  NUMBER,
  /** How objects are placed relative to each other (left of, above, ...). */
  RELATION;

  /** The JSON name ({@code location}, {@code number}, {@code relation}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a TYPE value leniently ("Location", "numbers", "count"); empty when it is none of the three. */
  public static Optional<ObjectInfo> parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("loc") || t.equals("position")) {
      return Optional.of(LOCATION);
    }
    if (t.startsWith("num") || t.startsWith("count")) {
      return Optional.of(NUMBER);
    }
    if (t.startsWith("rel")) {
      return Optional.of(RELATION);
    }
    return Optional.empty();
  }
}
