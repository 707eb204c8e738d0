package dev.longshot.retrieval;

import dev.longshot.config.DecomposerKind;
import dev.longshot.config.RetrievalSettings;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.VideoManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small shared fixtures for retrieval tests. */
public final class Fixtures {
  public static final String VIDEO_A = "00000000000000aa";
  public static final String VIDEO_B = "00000000000000bb";

  private Fixtures() {}

  /** Settings for the stand-in embedder (its cosine scale differs from BGE's, hence its own threshold). */
  public static RetrievalSettings settings() {
    return new RetrievalSettings(8, 60, 0.3, 60, 4, DecomposerKind.RULES, 50, 100);
  }

  public static VideoManifest manifest(String videoId, String fingerprint) {
    return new VideoManifest(VideoManifest.FORMAT_VERSION, videoId, videoId + ".mp4", "/tmp/" + videoId + ".mp4", 1000,
        600_000, 1280, 720, 25, true, "asr:test", fingerprint, Map.of(), 0, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
  }

  public static Segment seg(Modality m, double startS, double endS, String text) {
    return new Segment(m, Math.round(startS * 1000), Math.round(endS * 1000), text, List.of(),
        String.format("%09d.jpg", Math.round(startS * 1000)), Double.NaN, List.of());
  }

  /** A small lecture: slides (OCR), speech (ASR) and one detection frame. */
  public static List<Segment> lecture() {
    return List.of(
        seg(Modality.OCR, 0, 20, "Introduction to Gradient Descent"),
        seg(Modality.ASR, 2, 9, "welcome everyone today we talk about optimisation"),
        seg(Modality.ASR, 9, 18, "gradient descent follows the negative gradient downhill"),
        seg(Modality.OCR, 20, 45, "Learning rate: step size 0.01"),
        seg(Modality.ASR, 21, 30, "the learning rate controls the step size of each update"),
        seg(Modality.ASR, 30, 40, "too large a learning rate makes the loss diverge"),
        seg(Modality.DET, 35, 35, "Objects: person (1), laptop (1). Locations: person left, laptop center. Relations: person is left of laptop."),
        seg(Modality.OCR, 45, 70, "Momentum and Adam optimizer"),
        seg(Modality.ASR, 46, 55, "momentum keeps a running average of past gradients"),
        seg(Modality.ASR, 55, 65, "adam adapts the step for every parameter"));
  }
}
