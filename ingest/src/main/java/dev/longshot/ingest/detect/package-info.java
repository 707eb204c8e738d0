/**
 * Object detection on keyframes: the {@link dev.longshot.ingest.detect.ObjectDetector} capability, its backends
 * (OpenCV's classical detectors by default, YOLO ONNX models when configured), and the Video-RAG style text
 * written from detections (class, count, location, relations) that retrieval indexes as {@code DET} segments.
 */
package dev.longshot.ingest.detect;
