package dev.longshot.timeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@code manifest.json} of an ingest record, format version {@value #FORMAT_VERSION}. It is written last, so a
 * record directory with a manifest is complete; see {@link RecordStore}.
 *
 * @param formatVersion record format version; readers reject versions they do not know
 * @param videoId content id ({@link VideoId})
 * @param fileName the file's name when it was ingested (display only)
 * @param sourcePath absolute path it was ingested from (display only: identity is the content)
 * @param sizeBytes file size in bytes
 * @param durationMillis media duration in milliseconds
 * @param width frame width in pixels after rotation, 0 for audio-only
 * @param height frame height in pixels after rotation, 0 for audio-only
 * @param frameRate average frames per second, 0 for audio-only
 * @param hasAudio whether the file has an audio stream
 * @param transcriptSource where the transcript came from: {@code subtitle-stream}, {@code sidecar-srt}, {@code
 *     sidecar-vtt}, {@code asr:<backend>} or {@code none}
 * @param settingsFingerprint hash of the settings that shape the output; a re-run with the same file and
 *     fingerprint is a no-op
 * @param segmentCounts segments per modality
 * @param keyframeCount keyframes stored under {@code keyframes/}
 * @param stageMillis wall time per ingest stage, milliseconds
 * @param createdAt when the record was committed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VideoManifest(
    int formatVersion,
    String videoId,
    String fileName,
    String sourcePath,
    long sizeBytes,
    long durationMillis,
    int width,
    int height,
    double frameRate,
    boolean hasAudio,
    String transcriptSource,
    String settingsFingerprint,
    Map<Modality, Integer> segmentCounts,
    int keyframeCount,
    Map<String, Long> stageMillis,
    Instant createdAt) {
  public static final int FORMAT_VERSION = 1;

  public VideoManifest {
    VideoId.require(videoId);
    Objects.requireNonNull(settingsFingerprint, "settingsFingerprint");
    segmentCounts = segmentCounts == null ? Map.of() : Map.copyOf(segmentCounts);
    stageMillis = stageMillis == null ? Map.of() : Map.copyOf(stageMillis);
  }
}
