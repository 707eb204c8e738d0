package dev.longshot.web.service;

import java.util.Objects;

/**
 * An ingest that could not be done, with a reason the user can act on. The kinds mirror the ingest module's
 * {@code IngestException.Kind}; {@link Kind#FAILED} covers everything else (an I/O error, a backend crash).
 */
public final class IngestFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an ingest failed; each maps to one HTTP status. */
  public enum Kind {
    NOT_FOUND(404),
    UNREADABLE(422),
    EMPTY(400),
    NOT_MEDIA(415),
    CORRUPT(422),
    UNSUPPORTED_CODEC(415),
    ZERO_DURATION(422),
    TOO_LARGE(413),
    FAILED(500);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The kind with this name, or {@link #FAILED} for a name this layer does not know. */
    public static Kind fromName(String name) {
      for (Kind k : values()) {
        if (k.name().equals(name)) {
          return k;
        }
      }
      return FAILED;
    }
  }

  private final Kind kind;

  public IngestFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }
}
