package dev.longshot.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectDetector} backend promises, whatever its model: labels from its own class list,
 * normalised boxes inside the frame, confidences at or above the configured minimum, any frame size and both
 * supported pixel layouts, and a clear failure after close. Each backend's test extends this.
 */
abstract class ObjectDetectorContractTest {
  static final double MIN_CONFIDENCE = 0.4;

  abstract ObjectDetector create() throws Exception;

  static BufferedImage noise(int w, int h, int type, long seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    Random r = new Random(seed);
    Graphics2D g = img.createGraphics();
    for (int i = 0; i < 40; i++) {
      g.setColor(new Color(r.nextInt(0xffffff)));
      g.fillRect(r.nextInt(w), r.nextInt(h), 1 + r.nextInt(w / 3), 1 + r.nextInt(h / 3));
    }
    g.dispose();
    return img;
  }

  @Test
  void detectionsRespectTheContract() throws Exception {
    long seed = 1234;
    try (ObjectDetector d = create()) {
      assertThat(d.name()).isNotBlank();
      assertThat(d.classNames()).isNotEmpty();
      for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB}) {
        for (int[] size : new int[][] {{854, 480}, {333, 517}, {64, 64}}) {
          List<Detection> found = d.detect(noise(size[0], size[1], type, seed));
          for (Detection det : found) {
            assertThat(d.classNames()).as("seed %d", seed).contains(det.label());
            assertThat(det.confidence()).isBetween(MIN_CONFIDENCE, 1.0);
            assertThat(det.box().x()).isBetween(0.0, 1.0);
            assertThat(det.box().y()).isBetween(0.0, 1.0);
            assertThat(det.box().x() + det.box().width()).isLessThanOrEqualTo(1.0 + 1e-9);
            assertThat(det.box().y() + det.box().height()).isLessThanOrEqualTo(1.0 + 1e-9);
          }
        }
      }
    }
  }

  @Test
  void detectAfterCloseFails() throws Exception {
    ObjectDetector d = create();
    d.close();
    assertThatThrownBy(() -> d.detect(new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR)))
        .isInstanceOf(IllegalStateException.class);
  }
}
