package dev.longshot.timeline;

/** An ingest record on disk cannot be read: unknown format version, corrupt JSON, or a missing file. */
public final class RecordFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
