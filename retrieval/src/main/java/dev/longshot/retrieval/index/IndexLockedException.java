package dev.longshot.retrieval.index;

/** Another process (or another {@link EvidenceIndex} in this one) holds the index's write lock. */
public final class IndexLockedException extends IndexException {
  private static final long serialVersionUID = 1L;

  public IndexLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
