package dev.longshot.config;

/** The object detector ({@code detector.backend}). */
public enum DetectorBackend implements ConfigChoice {
  /** OpenCV's classical HOG people and Haar face detectors (default). */
  OPENCV,
  /** An exported YOLO ONNX model; needs {@code detector.yolo-model}. */
  YOLO,
  /** No object detection. */
  NONE;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
