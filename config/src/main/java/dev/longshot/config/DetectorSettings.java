package dev.longshot.config;

import java.nio.file.Path;

/**
 * Object detection (section {@code detector}).
 *
 * @param backend which detector finds objects in keyframes (see {@link DetectorBackend})
 * @param yoloModel path of a YOLO ONNX model (COCO classes)
 * @param minConfidence detections below this score (0..1) are dropped
 * @param nmsIou IoU above which overlapping boxes of one class are suppressed
 */
public record DetectorSettings(DetectorBackend backend, Path yoloModel, double minConfidence, double nmsIou) {
  public DetectorSettings {
    Check.present("detector.backend", backend, DetectorBackend.class);
    Check.range("detector.min-confidence", minConfidence, 0.0, 1.0);
    Check.range("detector.nms-iou", nmsIou, 0.0, 1.0);
    if (backend == DetectorBackend.YOLO && yoloModel == null) {
      throw new ConfigException("detector.yolo-model", null, "a YOLO ONNX model path is required when detector.backend is yolo");
    }
  }
}
