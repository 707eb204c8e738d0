package dev.longshot.web.service;

import dev.longshot.timeline.VideoManifest;
import java.util.Objects;

/**
 * The outcome of one successful ingest.
 *
 * @param manifest the video's record manifest
 * @param unchanged true when nothing was done because the same content was already ingested with the same settings
 */
public record IngestResult(VideoManifest manifest, boolean unchanged) {
  public IngestResult {
    Objects.requireNonNull(manifest, "manifest");
  }
}
