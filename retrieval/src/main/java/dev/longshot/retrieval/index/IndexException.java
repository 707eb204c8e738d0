package dev.longshot.retrieval.index;

/**
 * The index cannot be opened or written: missing, locked, corrupt, built with another embedder, or not a
 * Longshot index. The message names the directory and says what to do; the index is never modified or
 * re-created to get past one of these.
 */
public class IndexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
