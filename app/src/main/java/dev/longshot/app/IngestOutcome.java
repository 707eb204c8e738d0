package dev.longshot.app;

import dev.longshot.timeline.VideoManifest;

/**
 * What {@link Longshot#ingest} did.
 *
 * @param manifest the video's record manifest
 * @param unchanged true when the same content had already been ingested and indexed with the same settings,
 *     so nothing was recomputed
 */
public record IngestOutcome(VideoManifest manifest, boolean unchanged) {}
