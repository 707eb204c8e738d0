package dev.longshot.ingest.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.ConfigChoice;
import dev.longshot.config.OcrBackend;
import dev.longshot.timeline.BoundingBox;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TextRecognizer} backend promises, whatever its model (issue 13): its config name, a printed line
 * read word by word through the pipeline's entry point ({@link OcrPreprocessor#read}) with each word's box inside the
 * image and in reading order, confidences in 0..1, and no text on a blank frame. Each backend extends this.
 */
abstract class TextRecognizerContractTest {
  abstract TextRecognizer create();

  /** Black sans-serif text on white, 640x160, like a slide's title. */
  static BufferedImage printed(String text) {
    BufferedImage img = new BufferedImage(640, 160, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 56));
    g.drawString(text, 40, 100);
    g.dispose();
    return img;
  }

  @Test
  void nameIsAConfigName() {
    try (TextRecognizer r = create()) {
      assertThat(ConfigChoice.configNames(OcrBackend.class)).contains(r.name());
      assertThat(r.name()).isNotEqualTo(OcrBackend.NONE.configName());
    }
  }

  @Test
  void readsAPrintedLineWordByWordWithBoxesInsideTheImage() {
    try (TextRecognizer r = create()) {
      List<TextLine> lines = OcrPreprocessor.read(r, printed("Museum Shop"));
      assertThat(lines).hasSize(1);
      List<BoundingBox> words = lines.getFirst().words();
      assertThat(words).extracting(BoundingBox::label).containsExactly("Museum", "Shop");
      for (BoundingBox w : words) {
        assertThat(w.x()).isBetween(0.0, 1.0);
        assertThat(w.y()).isBetween(0.0, 1.0);
        assertThat(w.x() + w.width()).isLessThanOrEqualTo(1.0 + 1e-9);
        assertThat(w.y() + w.height()).isLessThanOrEqualTo(1.0 + 1e-9);
        assertThat(w.width()).isPositive();
        assertThat(w.confidence()).isBetween(0.0, 1.0);
      }
      // the text is drawn from x = 40 px of 640 and sits around y = 60..100 px of 160
      assertThat(words.getFirst().x()).isBetween(0.02, 0.15);
      assertThat(words.get(1).x()).isGreaterThan(words.getFirst().x() + words.getFirst().width() - 0.01);
      assertThat(words.getFirst().y()).isBetween(0.2, 0.5);
    }
  }

  @Test
  void aBlankFrameHasNoText() {
    try (TextRecognizer r = create()) {
      BufferedImage blank = printed("");
      assertThat(OcrPreprocessor.read(r, blank)).isEmpty();
    }
  }
}
