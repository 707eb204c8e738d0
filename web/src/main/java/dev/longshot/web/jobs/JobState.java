package dev.longshot.web.jobs;

/** Where an ingest job is in its life. {@link #SUCCEEDED} and {@link #FAILED} are final. */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
