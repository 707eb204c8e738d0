package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObjectDetectorsTest {
  @Test
  void noneGivesNoDetector() {
    assertThat(ObjectDetectors.create(new DetectorSettings(DetectorBackend.NONE, null, 0.4, 0.5))).isEmpty();
  }

  @Test
  void opencvIsTheWorkingDefault() {
    try (ObjectDetector d = ObjectDetectors.create(new DetectorSettings(DetectorBackend.OPENCV, null, 0.4, 0.5)).orElseThrow()) {
      assertThat(d.name()).isEqualTo("opencv");
      assertThat(d.classNames()).contains("person", "face");
    }
  }

  @Test
  void yoloWithMissingModelNamesIt() {
    Path missing = Path.of("/nonexistent/yolov8n.onnx");
    assertThatThrownBy(() -> ObjectDetectors.create(new DetectorSettings(DetectorBackend.YOLO, missing, 0.4, 0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }
}
