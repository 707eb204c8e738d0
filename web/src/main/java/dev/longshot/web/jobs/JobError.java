package dev.longshot.web.jobs;

import dev.longshot.ingest.IngestException;

/**
 * Why a job failed.
 *
 * @param kind the failure kind ({@code NOT_MEDIA}, {@code CORRUPT}, ..., {@code INTERRUPTED}, {@code FAILED})
 * @param status the HTTP status the same failure gets when it is reported synchronously
 * @param detail a sentence the user can act on, naming the file
 */
public record JobError(String kind, int status, String detail) {
  /** Kind of a failure inside Longshot (not in the input), as the REST API names it. */
  public static final String FAILED = "FAILED";

  /**
   * The error for an ingest that could not be done: the one mapping from {@link IngestException.Kind} to the API's
   * kind and HTTP status. The switch is exhaustive, so a new kind does not compile until it is given a status here.
   */
  public static JobError of(IngestException e) {
    IngestException.Kind k = e.kind();
    int status = switch (k) {
      case NOT_FOUND -> 404;
      case EMPTY -> 400;
      case NOT_MEDIA, UNSUPPORTED_CODEC -> 415;
      case UNREADABLE, CORRUPT, ZERO_DURATION -> 422;
      case TOO_LARGE -> 413;
      case INTERNAL -> 500;
    };
    return new JobError(k == IngestException.Kind.INTERNAL ? FAILED : k.name(), status, e.getMessage());
  }
}
