package dev.longshot.web.api;

import dev.longshot.app.LongshotService;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.jobs.IngestJob;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobSource;
import dev.longshot.web.jobs.QueueFullException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Accepts videos for ingest, by upload or by server path; both answer 202 with the job to poll. */
@RestController
@RequestMapping("/api/ingest")
@Tag(name = "Ingest", description = "Add videos; ingest runs as a background job")
public class IngestController {
  private final IngestJobRunner jobs;
  private final UploadReceiver uploads;
  private final AllowedRoots roots;

  public IngestController(LongshotService service, IngestJobRunner jobs, LongshotConfig config) {
    this.jobs = jobs;
    this.uploads = new UploadReceiver(service.uploadsDir(), config.server().maxUploadBytes(), config.server().minFreeDisk());
    this.roots = new AllowedRoots(config.server().allowedRoots());
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(summary = "Upload a video (multipart field \"file\") and queue its ingest",
      description = "Streamed to disk and stored once per content; limited to server.max-upload-bytes. 400 empty file "
          + "or bad name, 413 too large, 415 not a video, 429 queue full, 507 the data directory would fall below "
          + "server.min-free-disk.")
  public ResponseEntity<JobDto> upload(HttpServletRequest request) throws QueueFullException {
    UploadReceiver.Stored stored = uploads.receive(request);
    try {
      return accepted(jobs.submit(JobSource.UPLOAD, stored.path(), stored.path().getFileName().toString(), null, stored.created()));
    } catch (QueueFullException | RuntimeException e) {
      if (stored.created()) {
        deleteQuietly(stored.path()); // only what this request itself stored; identical content already there stays
      }
      throw e;
    }
  }

  @PostMapping(path = "/path", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Queue the ingest of a video already on the server",
      description = "The path must lie inside server.allowed-roots. 403 outside, 404 missing, 415 not a video.")
  public ResponseEntity<JobDto> byPath(@RequestBody PathIngestRequest request) throws QueueFullException {
    Path file = roots.resolve(request == null ? null : request.path());
    return accepted(jobs.submit(JobSource.PATH, file, file.getFileName().toString(), null));
  }

  static ResponseEntity<JobDto> accepted(IngestJob job) {
    JobDto dto = JobDto.of(job);
    return ResponseEntity.accepted().location(URI.create(dto.url())).body(dto);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: the upload was never queued
    }
  }
}
