package dev.longshot.ingest;

import dev.longshot.config.OneLine;
import java.util.Objects;

/**
 * An ingest that could not be done, with a message meant for the user ("file is empty: /x/a.mp4", "not a video:
 * /x/notes.txt (no audio or video stream)") and a {@link Kind} the web layer maps to an HTTP status. Nothing is
 * written when one is thrown: the record store holds either the previous complete record or none.
 * The message is one printable line ({@link OneLine}), whatever the file name holds.
 */
public final class IngestException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarsely. */
  public enum Kind {
    /** The path does not exist. */
    NOT_FOUND,
    /** The path exists but cannot be read (a directory, no permission, I/O error). */
    UNREADABLE,
    /** The file has zero bytes. */
    EMPTY,
    /** The file is not audio or video (text, a still image, an unknown format). */
    NOT_MEDIA,
    /** A media container that is truncated or damaged. */
    CORRUPT,
    /** An audio or video stream whose codec this build of FFmpeg cannot decode. */
    UNSUPPORTED_CODEC,
    /** A media file with no duration and no decodable frame or sample. */
    ZERO_DURATION,
    /** Frames larger than {@code ingest.max-frame-pixels}, or longer than {@code ingest.max-duration}. */
    TOO_LARGE,
    /** Anything else (a backend failed, the records directory cannot be written). */
    INTERNAL
  }

  private final Kind kind;

  public IngestException(Kind kind, String message) {
    this(kind, message, null);
  }

  public IngestException(Kind kind, String message, Throwable cause) {
    super(OneLine.of(message), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  /** True when the fault is in the input file (HTTP 4xx), false for {@link Kind#INTERNAL}. */
  public boolean isBadInput() {
    return kind != Kind.INTERNAL;
  }
}
