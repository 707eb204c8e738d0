package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class YoloOutputDecoderTest {
  static final List<String> NAMES = List.of("a", "b");

  @Test
  void transposedLayoutGivesTheSameDetections() {
    float[][] channelsFirst = YoloObjectDetectorTest.recordedOutput(2);
    float[][] transposed = new float[channelsFirst[0].length][channelsFirst.length];
    for (int a = 0; a < channelsFirst.length; a++) {
      for (int i = 0; i < channelsFirst[0].length; i++) {
        transposed[i][a] = channelsFirst[a][i];
      }
    }
    Letterbox lb = Letterbox.of(640, 640, 1280, 720);
    assertThat(YoloOutputDecoder.decode(transposed, NAMES, lb, 0.4, 0.5))
        .isEqualTo(YoloOutputDecoder.decode(channelsFirst, NAMES, lb, 0.4, 0.5))
        .isNotEmpty();
  }

  @Test
  void letterboxOfAPortraitFramePadsLeftAndRight() {
    Letterbox lb = Letterbox.of(640, 640, 480, 960);
    assertThat(lb.scale()).isEqualTo(2.0 / 3);
    assertThat(lb.padX()).isEqualTo(160.0);
    assertThat(lb.padY()).isEqualTo(0.0);
    assertThat(lb.frameX(160)).isEqualTo(0.0);
    assertThat(lb.frameY(640)).isEqualTo(960.0);
  }

  @Test
  void wrongOutputShapeIsReported() {
    assertThatThrownBy(() -> YoloOutputDecoder.decode(new float[5][7], NAMES, Letterbox.of(640, 640, 640, 640), 0.4, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[5, 7]")
        .hasMessageContaining("C=2");
  }

  @Test
  void nmsKeepsOtherClassesAndDropsOverlapsOfOneClass() {
    var box = new dev.longshot.timeline.BoundingBox(0.1, 0.1, 0.2, 0.2, "", 1);
    var shifted = new dev.longshot.timeline.BoundingBox(0.11, 0.1, 0.2, 0.2, "", 1);
    var far = new dev.longshot.timeline.BoundingBox(0.6, 0.6, 0.2, 0.2, "", 1);
    List<Detection> kept = NonMaxSuppression.apply(List.of(
        new Detection("a", 0.5, shifted), new Detection("a", 0.9, box), new Detection("b", 0.4, box),
        new Detection("a", 0.3, far)), 0.5, 10);
    assertThat(kept).extracting(Detection::label, Detection::confidence).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a", 0.9), org.assertj.core.groups.Tuple.tuple("b", 0.4),
        org.assertj.core.groups.Tuple.tuple("a", 0.3));
  }
}
