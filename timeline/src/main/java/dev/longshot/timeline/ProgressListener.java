package dev.longshot.timeline;

/**
 * Receives {@link Progress} updates from long work (ingest, indexing, batch jobs). Called from the worker
 * thread; implementations must be quick and thread-safe. The CLI draws a progress bar, the web layer stores
 * the latest snapshot in the job.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);
}
