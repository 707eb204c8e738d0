package dev.longshot.config;

import java.time.Duration;

/**
 * Frame sampling and keyframe settings (section {@code ingest}).
 *
 * @param sampleFps uniform sampling rate in frames per second, on top of scene-change frames
 * @param sceneChangeThreshold mean absolute luma difference (0..1) between sampled frames that counts as a
 *     new scene (slide change, cut)
 * @param keyframeMaxSide longest side, in pixels, of the JPEG keyframes kept for the UI and the VLM
 * @param jpegQuality JPEG quality of stored keyframes, 1..100
 * @param maxFramePixels frames larger than this (width x height) are rejected as "huge resolution"
 * @param maxDuration longest accepted input; a longer video is refused before decoding (kind TOO_LARGE)
 */
public record IngestSettings(
    double sampleFps,
    double sceneChangeThreshold,
    int keyframeMaxSide,
    int jpegQuality,
    long maxFramePixels,
    Duration maxDuration) {
  public IngestSettings {
    Check.range("ingest.sample-fps", sampleFps, 0.01, 30.0);
    Check.range("ingest.scene-change-threshold", sceneChangeThreshold, 0.0, 1.0);
    Check.range("ingest.keyframe-max-side", keyframeMaxSide, 64, 4096);
    Check.range("ingest.jpeg-quality", jpegQuality, 1, 100);
    Check.range("ingest.max-frame-pixels", maxFramePixels, 64L * 64, 16_384L * 16_384);
    if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
      throw new ConfigException("ingest.max-duration", maxDuration, "allowed is a positive duration such as 24h");
    }
  }
}
