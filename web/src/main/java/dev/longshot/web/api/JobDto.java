package dev.longshot.web.api;

import dev.longshot.web.jobs.IngestJob;
import dev.longshot.web.jobs.JobError;
import dev.longshot.web.jobs.JobSource;
import dev.longshot.web.jobs.JobState;
import java.time.Instant;

/**
 * An ingest job as clients see it (the server path is left out).
 *
 * @param jobId job id
 * @param source how the video arrived: upload, path or reingest
 * @param fileName the video's file name (untrusted text)
 * @param state QUEUED, RUNNING, SUCCEEDED or FAILED
 * @param stage the ingest stage now running
 * @param percent 0..100
 * @param etaSeconds estimated seconds left, or null when unknown
 * @param message a short detail
 * @param videoId the video's id once ingested
 * @param unchanged true when the video had already been ingested with the same settings
 * @param error why it failed, or null
 * @param createdAt when it was accepted
 * @param updatedAt when this state was recorded
 * @param url this job's status URL
 */
public record JobDto(
    String jobId,
    JobSource source,
    String fileName,
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
    String url) {
  static JobDto of(IngestJob j) {
    return new JobDto(j.id(), j.source(), j.fileName(), j.state(), j.stage(), j.percent(), j.etaSeconds(), j.message(),
        j.videoId(), j.unchanged(), j.error(), j.createdAt(), j.updatedAt(), "/api/jobs/" + j.id());
  }
}
