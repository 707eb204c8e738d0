package dev.longshot.ingest.subtitle;

import dev.longshot.timeline.Segment;
import java.util.List;
import java.util.Objects;

/**
 * A video's subtitles as timeline segments.
 *
 * @param source where they came from: {@code subtitle-stream} (embedded stream), {@code sidecar-srt} or
 *     {@code sidecar-vtt} (file with the video's base name next to it)
 * @param segments one {@code SUBTITLE} segment per cue, ordered by start time, text without markup
 */
public record SubtitleTrack(String source, List<Segment> segments) {
  public static final String SUBTITLE_STREAM = "subtitle-stream";
  public static final String SIDECAR_SRT = "sidecar-srt";
  public static final String SIDECAR_VTT = "sidecar-vtt";

  public SubtitleTrack {
    Objects.requireNonNull(source, "source");
    segments = List.copyOf(segments);
  }
}
