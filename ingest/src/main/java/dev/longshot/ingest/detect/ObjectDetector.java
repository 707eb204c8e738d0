package dev.longshot.ingest.detect;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;

/**
 * Finds objects in one frame. Implementations load their model at construction and are closed by the caller;
 * {@link #detect} may be called from one thread at a time unless the backend says otherwise.
 */
public interface ObjectDetector extends AutoCloseable {
  /** Backend name as in config ({@code opencv}, {@code yolo}). */
  String name();

  /** Class names this detector can report (so query decomposition can match object nouns against them). */
  Set<String> classNames();

  /** Detections in {@code frame} (any size, TYPE_3BYTE_BGR or TYPE_INT_RGB), after thresholding and NMS. */
  List<Detection> detect(BufferedImage frame);

  @Override
  void close();
}
