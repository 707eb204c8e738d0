package dev.longshot.ingest.detect;

import dev.longshot.config.DetectorSettings;
import java.util.Optional;

/**
 * The one place that maps {@code detector.backend} to an {@link ObjectDetector}: {@code opencv} (default, OpenCV's
 * classical HOG people and Haar face detectors), {@code yolo} (an exported YOLO ONNX model at
 * {@code detector.yolo-model}) or {@code none}. The caller closes the returned detector.
 */
public final class ObjectDetectors {
  private ObjectDetectors() {}

  /**
   * The configured detector, or empty for backend {@code none}.
   *
   * @throws IllegalArgumentException for a bad model file
   */
  public static Optional<ObjectDetector> create(DetectorSettings settings) {
    return switch (settings.backend()) {
      case OPENCV -> Optional.of(new OpenCvObjectDetector(settings));
      case YOLO -> Optional.of(new YoloObjectDetector(settings));
      case NONE -> Optional.empty();
    };
  }
}
