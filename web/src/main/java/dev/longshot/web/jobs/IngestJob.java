package dev.longshot.web.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Objects;

/**
 * One ingest job, also its persisted form: {@code jobs/<id>.json}, format version {@value #FORMAT_VERSION}.
 * Immutable; the runner replaces the stored value on every change.
 *
 * @param formatVersion version of this file format
 * @param id job id (a UUID)
 * @param source how the video arrived (in the file: {@code upload}, {@code path} or {@code reingest})
 * @param path absolute path of the file being ingested (inside the data directory or an allowed root)
 * @param fileName display name of the file
 * @param replaceVideoId for a re-ingest, the video whose record is dropped first; otherwise null
 * @param state where the job is
 * @param stage the ingest stage now running ({@code queued}, {@code decode}, {@code ocr}, ...)
 * @param percent overall progress, 0..100
 * @param etaSeconds estimated seconds left, or null when unknown
 * @param message a short detail for people
 * @param videoId the content id once known, else null
 * @param unchanged true when the ingest was a no-op because the same content was already ingested
 * @param error why it failed; null unless {@link JobState#FAILED}
 * @param createdAt when the job was accepted
 * @param updatedAt when this state was recorded
 * @param createdUpload true when this job's upload stored a new file, which a failed job may remove again (never a
 *     file that was already there: issue 12); false in files of older versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestJob(
    int formatVersion,
    String id,
    JobSource source,
    String path,
    String fileName,
    String replaceVideoId,
    JobState state,
    String stage,
    int percent,
    Long etaSeconds,
    String message,
    String videoId,
    boolean unchanged,
    JobError error,
    Instant createdAt,
    Instant updatedAt,
    boolean createdUpload) {
  public static final int FORMAT_VERSION = 1;

  public IngestJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(path, "path");
    message = message == null ? "" : message;
    percent = Math.max(0, Math.min(100, percent));
  }

  /** A new job waiting in the queue. */
  public static IngestJob queued(String id, JobSource source, String path, String fileName, String replaceVideoId, Instant now) {
    return new IngestJob(FORMAT_VERSION, id, source, path, fileName, replaceVideoId, JobState.QUEUED, "queued", 0, null,
        "waiting for a worker", null, false, null, now, now, false);
  }

  /** This job with {@link #createdUpload()} set. */
  public IngestJob withCreatedUpload(boolean created) {
    return new IngestJob(formatVersion, id, source, path, fileName, replaceVideoId, state, stage, percent, etaSeconds,
        message, videoId, unchanged, error, createdAt, updatedAt, created);
  }

  IngestJob running(String stage, int percent, Long etaSeconds, String message, Instant now) {
    return new IngestJob(formatVersion, id, source, path, fileName, replaceVideoId, JobState.RUNNING, stage, percent,
        etaSeconds, message, videoId, false, null, createdAt, now, createdUpload);
  }

  IngestJob requeued(String message, Instant now) {
    return new IngestJob(formatVersion, id, source, path, fileName, replaceVideoId, JobState.QUEUED, "queued", 0, null,
        message, videoId, false, null, createdAt, now, createdUpload);
  }

  IngestJob succeeded(String videoId, boolean unchanged, Instant now) {
    String msg = unchanged ? "already ingested with the same settings; nothing to do" : "ingested and indexed";
    return new IngestJob(formatVersion, id, source, path, fileName, replaceVideoId, JobState.SUCCEEDED, "done", 100, 0L,
        msg, videoId, unchanged, null, createdAt, now, createdUpload);
  }

  IngestJob failed(JobError error, Instant now) {
    return new IngestJob(formatVersion, id, source, path, fileName, replaceVideoId, JobState.FAILED, "failed", percent,
        null, error.detail(), videoId, false, error, createdAt, now, createdUpload);
  }
}
