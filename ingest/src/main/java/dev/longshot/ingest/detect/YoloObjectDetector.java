package dev.longshot.ingest.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import dev.longshot.timeline.ObjectClasses;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Object detection with an exported YOLO ONNX model (Ultralytics YOLOv8/v11 {@code export format=onnx}: input
 * {@code [1, 3, H, W]} RGB 0..1, output {@code [1, 4 + C, N]}) on the CPU ONNX Runtime. Pre-processing is the
 * letterbox ({@link Letterbox}); post-processing is {@link YoloOutputDecoder} (best class, threshold, un-letterbox,
 * per-class NMS). Class names come from the model's {@code names} metadata, else the 80 COCO classes. A dynamic
 * input size is read as 640x640. The session is created at construction and closed by {@link #close()}; ONNX
 * Runtime sessions are thread-safe, so {@link #detect} may run on several threads.
 */
public final class YoloObjectDetector implements ObjectDetector {
  static final int DEFAULT_SIDE = 640;

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String inputName;
  private final int inputWidth;
  private final int inputHeight;
  private final List<String> classNames;
  private final double minConfidence;
  private final double nmsIou;
  private final Path model;
  private volatile boolean closed;

  /**
   * Opens the model.
   *
   * @throws IllegalArgumentException when the file is missing or ONNX Runtime cannot load it as a YOLO model (the
   *     message names the file)
   */
  public YoloObjectDetector(DetectorSettings settings) {
    model = settings.yoloModel();
    if (model == null || !Files.isRegularFile(model)) {
      throw new IllegalArgumentException("YOLO ONNX model not found: " + (model == null ? "(detector.yolo-model not set)" : model.toAbsolutePath()));
    }
    minConfidence = settings.minConfidence();
    nmsIou = settings.nmsIou();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      session = env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime cannot load YOLO model " + model.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    try {
      Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
      inputName = input.getKey();
      long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape();
      if (shape.length != 4 || shape[1] != 3) {
        throw new IllegalArgumentException("YOLO model " + model + " has input shape " + java.util.Arrays.toString(shape) + ", expected [1, 3, H, W]");
      }
      inputHeight = shape[2] > 0 ? (int) shape[2] : DEFAULT_SIDE;
      inputWidth = shape[3] > 0 ? (int) shape[3] : DEFAULT_SIDE;
      String names = session.getMetadata().getCustomMetadata().get("names");
      List<String> parsed = CocoClasses.parseNames(names);
      classNames = parsed.isEmpty() ? ObjectClasses.COCO : parsed;
    } catch (OrtException | RuntimeException e) {
      closeSession();
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("Cannot read YOLO model " + model + " metadata: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return DetectorBackend.YOLO.configName();
  }

  @Override
  public Set<String> classNames() {
    return new LinkedHashSet<>(classNames);
  }

  @Override
  public List<Detection> detect(BufferedImage frame) {
    if (closed) {
      throw new IllegalStateException("YOLO detector for " + model + " is closed");
    }
    Letterbox lb = Letterbox.of(inputWidth, inputHeight, frame.getWidth(), frame.getHeight());
    long[] shape = {1, 3, inputHeight, inputWidth};
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, lb.toChw(frame), shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      Object value = result.get(0).getValue();
      if (!(value instanceof float[][][] out)) {
        throw new IllegalStateException("YOLO model " + model + " output is not a float [1, 4+C, N] tensor");
      }
      return YoloOutputDecoder.decode(out[0], classNames, lb, minConfidence, nmsIou);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed running YOLO model " + model + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeSession();
    }
  }

  private void closeSession() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("Cannot close ONNX Runtime session of " + model, e);
    }
  }
}
