package dev.longshot.ingest.media;

/**
 * What {@link MediaProbe} learnt about a file before decoding it.
 *
 * @param formatName FFmpeg demuxer name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationMillis container duration, 0 when the container does not say
 * @param startMicros presentation time of the first packet; decoded timestamps are shifted by it so video time
 *     starts at 0
 * @param hasVideo whether there is a decodable video stream (cover art does not count)
 * @param codedWidth width of the decoded frames, before rotation
 * @param codedHeight height of the decoded frames, before rotation
 * @param rotation clockwise rotation to apply for display: 0, 90, 180 or 270
 * @param frameRate average frame rate, 0 when unknown or audio-only
 * @param videoCodec codec name of the video stream, empty for audio-only
 * @param hasAudio whether there is a decodable audio stream
 * @param audioCodec codec name of the audio stream, empty when none
 * @param subtitleStreams number of subtitle streams
 * @param videoDurationMillis the video stream's own duration, 0 when unknown or audio-only
 * @param audioDurationMillis the audio stream's own duration, 0 when unknown or no audio
 * @param maxKeyframeIntervalMillis the longest stretch of the video stream between keyframes (from its start to the
 *     first, between two, from the last to its end), from the container's index; 0 when the index does not say
 */
public record MediaInfo(
    String formatName,
    long durationMillis,
    long startMicros,
    boolean hasVideo,
    int codedWidth,
    int codedHeight,
    int rotation,
    double frameRate,
    String videoCodec,
    boolean hasAudio,
    String audioCodec,
    int subtitleStreams,
    long videoDurationMillis,
    long audioDurationMillis,
    long maxKeyframeIntervalMillis) {

  /** Display width (after rotation), 0 for audio-only. */
  public int width() {
    return rotation % 180 == 0 ? codedWidth : codedHeight;
  }

  /** Display height (after rotation), 0 for audio-only. */
  public int height() {
    return rotation % 180 == 0 ? codedHeight : codedWidth;
  }
}
