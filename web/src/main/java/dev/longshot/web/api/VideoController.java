package dev.longshot.web.api;

import dev.longshot.app.LongshotService;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobSource;
import dev.longshot.web.jobs.QueueFullException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The video library: list, get, delete and re-ingest videos, and serve their media (with HTTP range requests, so
 * players can seek) and keyframes.
 */
@RestController
@RequestMapping("/api/videos")
@Tag(name = "Videos", description = "The video library, media and keyframes")
public class VideoController {
  private static final Logger LOG = LoggerFactory.getLogger(VideoController.class);
  private final LongshotService service;
  private final IngestJobRunner jobs;

  public VideoController(LongshotService service, IngestJobRunner jobs) {
    this.service = service;
    this.jobs = jobs;
  }

  @GetMapping
  @Operation(summary = "All ingested videos, newest first")
  public List<VideoDto> list() {
    return service.videos().stream().map(m -> VideoDto.of(m, service.mediaFile(m.videoId()).isPresent())).toList();
  }

  @GetMapping("/{videoId}")
  @Operation(summary = "One video")
  public VideoDto get(@PathVariable String videoId) {
    VideoManifest m = manifest(videoId);
    return VideoDto.of(m, service.mediaFile(videoId).isPresent());
  }

  @DeleteMapping("/{videoId}")
  @Operation(summary = "Remove a video's record and index entries, and its uploaded copy; a file ingested by path stays")
  public ResponseEntity<Void> delete(@PathVariable String videoId) {
    requireId(videoId);
    Optional<Path> file = service.mediaFile(videoId);
    if (!service.delete(videoId)) {
      throw unknown(videoId);
    }
    file.filter(f -> f.startsWith(service.uploadsDir())).ifPresent(VideoController::deleteUpload);
    return ResponseEntity.noContent().build();
  }

  private static void deleteUpload(Path file) {
    try {
      Files.deleteIfExists(file);
      try (Stream<Path> rest = Files.list(file.getParent())) {
        if (rest.findAny().isEmpty()) {
          Files.delete(file.getParent());
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not remove the uploaded copy {}: {}", file, e.getMessage());
    }
  }

  @PostMapping("/{videoId}/reingest")
  @Operation(summary = "Ingest the video again from its file (after a settings change); answers 202 with the job")
  public ResponseEntity<JobDto> reingest(@PathVariable String videoId) throws QueueFullException {
    VideoManifest m = manifest(videoId);
    Path file = service.mediaFile(videoId).orElseThrow(() -> new ApiException(HttpStatus.CONFLICT,
        "The file of video " + videoId + " (" + m.fileName() + ") is no longer where it was ingested from; upload it again"));
    return IngestController.accepted(jobs.submit(JobSource.REINGEST, file, m.fileName(), videoId));
  }

  @GetMapping("/{videoId}/media")
  @Operation(summary = "The video file; supports Range requests (206 Partial Content)")
  public ResponseEntity<Resource> media(@PathVariable String videoId) {
    manifest(videoId);
    Path file = service.mediaFile(videoId).orElseThrow(() -> ApiException.notFound(
        "The file of video " + videoId + " is no longer where it was ingested from; upload it again to play it"));
    MediaType type = MediaTypeFactory.getMediaType(file.getFileName().toString()).orElse(MediaType.APPLICATION_OCTET_STREAM);
    return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache()).body(new FileSystemResource(file));
  }

  @GetMapping("/{videoId}/keyframes/{name}")
  @Operation(summary = "A keyframe image of a video")
  public ResponseEntity<Resource> keyframe(@PathVariable String videoId, @PathVariable String name) {
    requireId(videoId);
    if (!RecordStore.isKeyframeName(name)) {
      throw ApiException.badRequest("\"" + VideoFiles.printable(name) + "\" is not a keyframe name (letters, digits, - and _, then .jpg)");
    }
    Path file = service.keyframe(videoId, name).orElseThrow(() -> ApiException.notFound("Video " + videoId + " has no keyframe " + name));
    MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.IMAGE_JPEG);
    return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.maxAge(Duration.ofDays(1)))
        .body(new FileSystemResource(file));
  }

  private VideoManifest manifest(String videoId) {
    requireId(videoId);
    return service.video(videoId).orElseThrow(() -> unknown(videoId));
  }

  static void requireId(String videoId) {
    if (!VideoId.isValid(videoId)) {
      throw ApiException.badRequest("\"" + VideoFiles.printable(videoId) + "\" is not a video id (16 hex digits, as listed by GET /api/videos)");
    }
  }

  private static ApiException unknown(String videoId) {
    return ApiException.notFound("No video with id " + videoId + "; GET /api/videos lists them");
  }
}
