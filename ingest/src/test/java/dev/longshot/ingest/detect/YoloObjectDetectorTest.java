package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import dev.longshot.timeline.ObjectClasses;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YOLO backend end to end on ONNX Runtime. No YOLO weights can be downloaded here, so the model is a tiny ONNX
 * file built by {@link TinyOnnxModel} whose output is a recorded [1, 84, N] tensor: what is tested is our part
 * (model loading, letterbox, output decoding, thresholds, per-class NMS, class names), not YOLO's accuracy.
 */
class YoloObjectDetectorTest {
  static final int N = 8;
  static final int PERSON = 0;
  static final int CAR = 2;
  static final int DOG = 16;

  /** A 1280x720 frame letterboxes into 640x640 at scale 0.5 with 140 px bars above and below. */
  static float[][] recordedOutput(int classes) {
    float[][] out = new float[4 + classes][N];
    candidate(out, 0, 150, 290, 100, 200, PERSON, 0.9f);   // frame (200,100)-(400,500)
    candidate(out, 1, 152, 292, 100, 200, PERSON, 0.8f);   // near-duplicate: suppressed by NMS
    candidate(out, 2, 150, 290, 100, 200, DOG % classes, 0.7f); // same box, other class: kept
    candidate(out, 3, 400, 300, 50, 50, CAR % classes, 0.2f); // below min-confidence: dropped
    candidate(out, 4, 600, 150, 100, 40, CAR % classes, 0.6f); // reaches into the top bar and past the right edge
    return out;
  }

  static void candidate(float[][] out, int i, float cx, float cy, float w, float h, int cls, float score) {
    out[0][i] = cx;
    out[1][i] = cy;
    out[2][i] = w;
    out[3][i] = h;
    out[4 + cls][i] = score;
  }

  static DetectorSettings settings(Path model) {
    return new DetectorSettings(DetectorBackend.YOLO, model, 0.4, 0.5);
  }

  @Test
  void letterboxDecodingAndNmsEndToEnd(@TempDir Path dir) throws Exception {
    Path model = TinyOnnxModel.write(dir.resolve("tiny.onnx"), recordedOutput(80), null);
    try (YoloObjectDetector yolo = new YoloObjectDetector(settings(model))) {
      List<Detection> found = yolo.detect(new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR));
      assertThat(found).extracting(Detection::label).containsExactly("person", "dog", "car");
      Detection person = found.get(0);
      assertThat(person.confidence()).isCloseTo(0.9, within(1e-6));
      assertThat(person.box().x()).isCloseTo(200 / 1280.0, within(1e-6));
      assertThat(person.box().y()).isCloseTo(100 / 720.0, within(1e-6));
      assertThat(person.box().width()).isCloseTo(200 / 1280.0, within(1e-6));
      assertThat(person.box().height()).isCloseTo(400 / 720.0, within(1e-6));
      assertThat(found.get(1).box()).isEqualTo(new dev.longshot.timeline.BoundingBox(
          person.box().x(), person.box().y(), person.box().width(), person.box().height(), "dog", found.get(1).confidence()));
      Detection car = found.get(2);
      // model x 550..650 -> frame 1100..1300, clipped to 1280; model y 130..170 -> frame -20..60, clipped to 0
      assertThat(car.box().x()).isCloseTo(1100 / 1280.0, within(1e-6));
      assertThat(car.box().x() + car.box().width()).isCloseTo(1.0, within(1e-6));
      assertThat(car.box().y()).isEqualTo(0.0);
      assertThat(car.box().height()).isCloseTo(60 / 720.0, within(1e-6));
      assertThat(yolo.classNames()).hasSize(80).contains("person", "dog", "teddy bear");
    }
  }

  /**
   * A model with the graph structure of an Ultralytics YOLOv8/v11 ONNX export ({@link UltralyticsOnnxExport}: input
   * {@code images [1,3,640,640]}, output {@code output0 [1,84,8400]} computed by the exported head's DFL, dist2bbox,
   * stride and sigmoid operators, names in the metadata). Expected boxes computed by hand: a 1280x720 frame
   * letterboxes at scale 0.5 with 140 px bars, so frame x = model x / 0.5 and frame y = (model y - 140) / 0.5; a
   * model box edge is (anchor point -/+ distance) * stride with the anchor point at the cell centre.
   */
  @Test
  void decodesTheOutputOfAnUltralyticsExportGraph(@TempDir Path dir) throws Exception {
    int kite = ObjectClasses.COCO.indexOf("kite");
    Path model = new UltralyticsOnnxExport()
        // stride 8, anchor (20.5, 30.5): model (140, 204)-(196, 292) -> frame (280, 128)-(392, 304)
        .anchor(8, 20, 30, PERSON, 0.9, 3, 5, 4, 6)
        // stride 16, anchor (10.5, 15.5): model (136, 208)-(200, 296), IoU 0.80 with the first: suppressed
        .anchor(16, 10, 15, PERSON, 0.6, 2, 2.5, 2, 3)
        // stride 32, anchor (10.5, 9.5): model (256, 208)-(400, 336) -> frame (512, 136)-(800, 392)
        .anchor(32, 10, 9, DOG, 0.8, 2.5, 3, 2, 1)
        // under detector.min-confidence 0.4: dropped
        .anchor(8, 70, 60, CAR, 0.3, 1, 1, 1, 1)
        // stride 32, anchor (19.5, 15.5): model (592, 464)-(640, 688) -> frame (1184, 648)-(1280, 1096), clipped at 720
        .anchor(32, 19, 15, kite, 0.7, 1, 1, 0.5, 6)
        .write(dir.resolve("yolov8n.onnx"));
    try (YoloObjectDetector yolo = new YoloObjectDetector(settings(model))) {
      List<Detection> found = yolo.detect(new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR));
      assertThat(found).extracting(Detection::label).containsExactly("person", "dog", "kite");
      assertThat(found).extracting(Detection::confidence)
          .satisfiesExactly(c -> assertThat(c).isCloseTo(0.9, within(1e-5)), c -> assertThat(c).isCloseTo(0.8, within(1e-5)),
              c -> assertThat(c).isCloseTo(0.7, within(1e-5)));
      assertBox(found.get(0), 280, 128, 392, 304);
      assertBox(found.get(1), 512, 136, 800, 392);
      assertBox(found.get(2), 1184, 648, 1280, 720);
      assertThat(yolo.classNames()).hasSize(80).startsWith("person", "bicycle").contains("kite");
    }
  }

  private static void assertBox(Detection d, double x0, double y0, double x1, double y1) {
    double eps = 1e-4;
    assertThat(d.box().x()).as("left of %s", d.label()).isCloseTo(x0 / 1280, within(eps));
    assertThat(d.box().y()).as("top of %s", d.label()).isCloseTo(y0 / 720, within(eps));
    assertThat(d.box().x() + d.box().width()).as("right of %s", d.label()).isCloseTo(x1 / 1280, within(eps));
    assertThat(d.box().y() + d.box().height()).as("bottom of %s", d.label()).isCloseTo(y1 / 720, within(eps));
  }

  @Test
  void classNamesFromUltralyticsMetadata(@TempDir Path dir) throws Exception {
    Path model = TinyOnnxModel.write(dir.resolve("custom.onnx"), recordedOutput(2), "{0: 'heron', 1: 'buoy'}");
    try (YoloObjectDetector yolo = new YoloObjectDetector(settings(model))) {
      assertThat(yolo.classNames()).containsExactly("heron", "buoy");
      assertThat(yolo.detect(new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB)))
          .extracting(Detection::label).contains("heron");
    }
  }

  @Test
  void missingModelIsNamed(@TempDir Path dir) {
    Path model = dir.resolve("yolov8n.onnx");
    assertThatThrownBy(() -> new YoloObjectDetector(settings(model)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(model.toString());
  }

  @Test
  void corruptModelIsNamed(@TempDir Path dir) throws Exception {
    long seed = 7;
    byte[] junk = new byte[2048];
    new Random(seed).nextBytes(junk);
    Path model = Files.write(dir.resolve("broken.onnx"), junk);
    assertThatThrownBy(() -> new YoloObjectDetector(settings(model)))
        .as("seed %d", seed)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(model.toString());
  }
}
