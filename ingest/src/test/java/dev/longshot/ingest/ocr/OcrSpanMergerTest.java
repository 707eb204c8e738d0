package dev.longshot.ingest.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.ConfigChoice;
import dev.longshot.config.OcrBackend;
import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OcrSpanMergerTest {
  private static TextLine line(double conf, String... words) {
    List<BoundingBox> boxes = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      boxes.add(new BoundingBox(0.1 * i, 0.1, 0.08, 0.05, words[i], conf));
    }
    return new TextLine(boxes);
  }

  @Test
  void persistingTextWithOcrJitterIsOneSpan() {
    OcrSpanMerger m = new OcrSpanMerger(0.6);
    m.observe(0, "a.jpg", List.of(line(0.9, "Budget", "Overview"), line(0.9, "Total", "budget", "4.2", "million")));
    m.persist(2_000);
    m.observe(4_000, "b.jpg", List.of(line(0.95, "Budget", "Overview"), line(0.95, "Total", "budget", "4.2", "milion")));
    m.observe(9_000, "c.jpg", List.of(line(0.9, "Timeline")));
    List<Segment> out = m.finish(12_000);
    assertThat(out).hasSize(2);
    Segment first = out.get(0);
    assertThat(first.modality()).isEqualTo(Modality.OCR);
    assertThat(first.startMillis()).isZero();
    assertThat(first.endMillis()).isEqualTo(9_000);
    assertThat(first.keyframe()).isEqualTo("b.jpg"); // the more confident read wins
    assertThat(first.text()).isEqualTo("Budget Overview\nTotal budget 4.2 milion");
    assertThat(out.get(1).startMillis()).isEqualTo(9_000);
    assertThat(out.get(1).endMillis()).isEqualTo(12_000);
  }

  @Test
  void lowConfidenceWordsAndSymbolNoiseAreDropped() {
    OcrSpanMerger m = new OcrSpanMerger(0.6);
    m.observe(0, "a.jpg", List.of(line(0.9, "Results"), line(0.3, "lIl", "ii"), line(0.9, "|", "—", "~"), line(0.9, "a")));
    List<Segment> out = m.finish(5_000);
    assertThat(out).singleElement().satisfies(s -> {
      assertThat(s.text()).isEqualTo("Results");
      assertThat(s.boxes()).extracting(BoundingBox::label).containsExactly("Results");
    });
  }

  @Test
  void textDisappearingClosesTheSpan() {
    OcrSpanMerger m = new OcrSpanMerger(0.6);
    m.observe(0, "a.jpg", List.of(line(0.9, "Hello", "world")));
    m.observe(3_000, "b.jpg", List.of());
    m.persist(6_000);
    List<Segment> out = m.finish(10_000);
    assertThat(out).singleElement().satisfies(s -> assertThat(s.endMillis()).isEqualTo(3_000));
  }

  @Test
  void similarityAndCharacterErrorRate() {
    assertThat(TextSimilarity.similarity("Total budget", "total  budget")).isEqualTo(1.0);
    assertThat(TextSimilarity.similarity("Budget Overview", "Timeline")).isLessThan(0.5);
    assertThat(TextSimilarity.characterErrorRate("hello", "helo")).isEqualTo(0.2);
    assertThat(TextSimilarity.levenshtein("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void registryKnowsTesseractPaddleAndNoneAndRejectsTheRest() {
    assertThat(ConfigChoice.configNames(OcrBackend.class)).containsExactly("tesseract", "paddle", "none");
    var none = new dev.longshot.config.OcrSettings(OcrBackend.NONE, null, "eng", 60);
    assertThat(TextRecognizers.create(none)).isEqualTo(Optional.empty());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.longshot.config.Check.oneOf("ocr.backend", "ppocr", OcrBackend.class))
        .isInstanceOf(dev.longshot.config.ConfigException.class)
        .hasMessageContaining("ocr.backend").hasMessageContaining("tesseract, paddle, none");
  }
}
