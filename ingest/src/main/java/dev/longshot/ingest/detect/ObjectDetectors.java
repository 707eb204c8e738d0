package dev.longshot.ingest.detect;

import dev.longshot.config.DetectorSettings;
import java.util.List;
import java.util.Optional;

/**
 * The one place that maps {@code detector.backend} to an {@link ObjectDetector}: {@code opencv} (default, OpenCV's
 * classical HOG people and Haar face detectors), {@code yolo} (an exported YOLO ONNX model at
 * {@code detector.yolo-model}) or {@code none}. The caller closes the returned detector.
 */
public final class ObjectDetectors {
  /** Backend names this build knows. */
  public static final List<String> BACKENDS = List.of("opencv", "yolo", "none");

  private ObjectDetectors() {}

  /**
   * The configured detector, or empty for backend {@code none}.
   *
   * @throws IllegalArgumentException for an unknown backend (the message lists the known ones) or a bad model file
   */
  public static Optional<ObjectDetector> create(DetectorSettings settings) {
    return switch (settings.backend()) {
      case "opencv" -> Optional.of(new OpenCvObjectDetector(settings));
      case "yolo" -> Optional.of(new YoloObjectDetector(settings));
      case "none" -> Optional.empty();
      default -> throw new IllegalArgumentException(
          "Unknown detector.backend \"" + settings.backend() + "\"; known: " + BACKENDS);
    };
  }
}
