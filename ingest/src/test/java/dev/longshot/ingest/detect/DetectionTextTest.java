package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.BoundingBox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectionTextTest {
  static Detection det(String label, double conf, double x, double y, double w, double h) {
    return new Detection(label, conf, new BoundingBox(x, y, w, h, label, conf));
  }

  @Test
  void nothingDetectedGivesEmptyText() {
    assertThat(DetectionText.describe(List.of())).isEmpty();
  }

  @Test
  void countsLocationsAndRelations() {
    List<Detection> dets = List.of(
        det("person", 0.9, 0.05, 0.05, 0.2, 0.2),   // top-left
        det("person", 0.8, 0.45, 0.40, 0.1, 0.2),   // center
        det("dog", 0.7, 0.80, 0.85, 0.05, 0.1));    // bottom-right, small
    assertThat(DetectionText.describe(dets)).isEqualTo(
        "Objects: person (2), dog (1). "
            + "Locations: person 1 top-left, person 2 center, dog bottom-right (small). "
            + "Relations: person 1 is left of and above person 2; person 1 is above and left of dog; "
            + "person 2 is above and left of dog.");
  }

  @Test
  void verticalRelationsNearnessAndSize() {
    List<Detection> dets = List.of(
        det("tv", 0.9, 0.3, 0.1, 0.4, 0.3),
        det("laptop", 0.8, 0.35, 0.42, 0.3, 0.1),
        det("chair", 0.6, 0.0, 0.3, 0.9, 0.7));
    String text = DetectionText.describe(dets);
    assertThat(text).contains("laptop is below tv, near it")
        .contains("chair center (large)")
        .startsWith("Objects: chair (1), laptop (1), tv (1).");
  }

  @Test
  void orderOfInputDoesNotMatter() {
    long seed = 20241125;
    List<Detection> dets = new ArrayList<>(List.of(
        det("person", 0.9, 0.05, 0.05, 0.2, 0.2), det("person", 0.8, 0.6, 0.5, 0.2, 0.3),
        det("car", 0.5, 0.4, 0.7, 0.3, 0.2), det("face", 0.6, 0.1, 0.06, 0.05, 0.05)));
    String expected = DetectionText.describe(dets);
    Collections.shuffle(dets, new Random(seed));
    assertThat(DetectionText.describe(dets)).as("seed %d", seed).isEqualTo(expected);
  }

  @Test
  void onlyTheMostConfidentObjectsGetLocationsButAllAreCounted() {
    List<Detection> dets = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      dets.add(det("bird", 0.5 + i * 0.01, i * 0.09, 0.1, 0.05, 0.05));
    }
    String text = DetectionText.describe(dets);
    assertThat(text).startsWith("Objects: bird (10).");
    assertThat(text).contains("bird " + DetectionText.MAX_OBJECTS).doesNotContain("bird " + (DetectionText.MAX_OBJECTS + 1));
  }

  @Test
  void gridLocations() {
    assertThat(DetectionText.location(new BoundingBox(0.0, 0.0, 0.1, 0.1, "", 1))).isEqualTo("top-left");
    assertThat(DetectionText.location(new BoundingBox(0.45, 0.0, 0.1, 0.1, "", 1))).isEqualTo("top");
    assertThat(DetectionText.location(new BoundingBox(0.9, 0.45, 0.1, 0.1, "", 1))).isEqualTo("right");
    assertThat(DetectionText.location(new BoundingBox(0.4, 0.4, 0.2, 0.2, "", 1))).isEqualTo("center");
    assertThat(DetectionText.location(new BoundingBox(0.45, 0.9, 0.1, 0.1, "", 1))).isEqualTo("bottom");
  }
}
