package dev.longshot.ingest.detect;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** The YOLO backend against the detector contract, on the tiny recorded-output model (no real weights here). */
class YoloContractTest extends ObjectDetectorContractTest {
  @Override
  ObjectDetector create() throws Exception {
    Path dir = Files.createTempDirectory("yolo-contract");
    Path model = TinyOnnxModel.write(dir.resolve("tiny.onnx"), YoloObjectDetectorTest.recordedOutput(80), null);
    model.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return new YoloObjectDetector(new DetectorSettings(DetectorBackend.YOLO, model, MIN_CONFIDENCE, 0.5));
  }
}
