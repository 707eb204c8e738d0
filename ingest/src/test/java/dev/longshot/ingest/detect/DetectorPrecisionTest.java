package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.DetectorBackend;
import dev.longshot.config.DetectorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the default detector's evidence is right more often than wrong on labelled real photos, class by class
 * (a class with no detection at all passes: it says nothing wrong).
 */
class DetectorPrecisionTest {
  @Test
  void openCvDetectionsAreRightMoreOftenThanWrong() throws Exception {
    List<String> log = new ArrayList<>();
    Map<String, DetectorPrecision.Score> scores;
    try (OpenCvObjectDetector detector = new OpenCvObjectDetector(new DetectorSettings(DetectorBackend.OPENCV, null, 0.4, 0.5))) {
      scores = DetectorPrecision.measure(detector, log);
    }
    System.out.println("detections:\n  " + String.join("\n  ", log) + "\nscores: " + scores);
    assertThat(scores).as("%s", log).allSatisfy((label, s) -> assertThat(s.precision()).as(label).isGreaterThan(0.5));
    assertThat(scores.getOrDefault("person", new DetectorPrecision.Score(0, 0)).right()).as("the woman in person.jpg")
        .isPositive();
  }
}
