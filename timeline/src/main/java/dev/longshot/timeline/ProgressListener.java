package dev.longshot.timeline;

/**
 * Receives {@link Progress} updates from long work (ingest, indexing, batch jobs). Called from the worker
 * thread; implementations must be quick and thread-safe. The CLI draws a progress bar, the web layer stores
 * the latest snapshot in the job. A listener stops the work by throwing {@link Cancelled} (a job past its time
 * limit, a user's cancel); any other exception it throws is ignored, so a broken progress display never breaks
 * the work.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);

  /**
   * Thrown by a listener to stop the work it watches, or by the work itself when its thread was interrupted.
   * The work ends without committing anything, and the exception reaches the caller.
   */
  final class Cancelled extends RuntimeException {
    public Cancelled(String message) {
      super(message);
    }
  }
}
