package dev.longshot.web.api;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.VideoManifest;
import java.time.Instant;
import java.util.Map;

/**
 * A video in the library.
 *
 * @param videoId content id
 * @param fileName name when it was ingested (untrusted text)
 * @param sizeBytes file size
 * @param durationMillis duration, milliseconds
 * @param width frame width, pixels
 * @param height frame height, pixels
 * @param transcriptSource where the transcript came from
 * @param segmentCounts segments per modality
 * @param keyframeCount stored keyframes
 * @param createdAt when it was ingested
 * @param mediaUrl URL of the playable file (HTTP range requests supported)
 * @param playable whether the original file is still there to play
 */
public record VideoDto(
    String videoId,
    String fileName,
    long sizeBytes,
    long durationMillis,
    int width,
    int height,
    String transcriptSource,
    Map<Modality, Integer> segmentCounts,
    int keyframeCount,
    Instant createdAt,
    String mediaUrl,
    boolean playable) {
  static VideoDto of(VideoManifest m, boolean playable) {
    return new VideoDto(m.videoId(), m.fileName(), m.sizeBytes(), m.durationMillis(), m.width(), m.height(),
        m.transcriptSource(), m.segmentCounts(), m.keyframeCount(), m.createdAt(), "/api/videos/" + m.videoId() + "/media", playable);
  }
}
