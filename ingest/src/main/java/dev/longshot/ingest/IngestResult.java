package dev.longshot.ingest;

import dev.longshot.timeline.VideoManifest;
import java.util.Objects;

/**
 * The outcome of one {@link IngestPipeline#ingest} call.
 *
 * @param manifest the manifest of the complete record now on disk
 * @param unchanged true when nothing was done because a complete record with the same video id and settings
 *     fingerprint already existed
 */
public record IngestResult(VideoManifest manifest, boolean unchanged) {
  public IngestResult {
    Objects.requireNonNull(manifest, "manifest");
  }
}
