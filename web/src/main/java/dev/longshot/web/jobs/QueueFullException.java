package dev.longshot.web.jobs;

/** The ingest queue already holds as many jobs as {@code server.queue-limit} allows. */
public final class QueueFullException extends Exception {
  private static final long serialVersionUID = 1L;

  public QueueFullException(String message) {
    super(message);
  }
}
