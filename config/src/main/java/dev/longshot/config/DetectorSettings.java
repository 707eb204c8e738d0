package dev.longshot.config;

import java.nio.file.Path;

/**
 * Object detection (section {@code detector}).
 *
 * @param backend {@code opencv} (classical HOG people / Haar face detectors, default), {@code yolo} (an
 *     exported YOLO ONNX model, needs {@code yolo-model}) or {@code none}
 * @param yoloModel path of a YOLO ONNX model (COCO classes)
 * @param minConfidence detections below this score (0..1) are dropped
 * @param nmsIou IoU above which overlapping boxes of one class are suppressed
 */
public record DetectorSettings(String backend, Path yoloModel, double minConfidence, double nmsIou) {
  public DetectorSettings {
    backend = Check.oneOf("detector.backend", backend, "opencv", "yolo", "none");
    Check.range("detector.min-confidence", minConfidence, 0.0, 1.0);
    Check.range("detector.nms-iou", nmsIou, 0.0, 1.0);
    if (backend.equals("yolo") && yoloModel == null) {
      throw new ConfigException("detector.yolo-model", null, "a YOLO ONNX model path is required when detector.backend is yolo");
    }
  }
}
