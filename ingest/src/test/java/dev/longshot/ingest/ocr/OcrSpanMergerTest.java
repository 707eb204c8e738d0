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
  void slidesThatDifferInOneWordOrNumberEachKeepTheirOwnSpanAndText() {
    OcrSpanMerger m = new OcrSpanMerger(0.6);
    m.observe(0, "a.jpg", List.of(line(0.9, "Weekly", "Sales", "Report"), line(0.9, "Region", "North"),
        line(0.9, "Revenue", "grew", "4", "percent")));
    m.observe(4_000, "b.jpg", List.of(line(0.95, "Weekly", "Sales", "Report"), line(0.95, "Region", "South"),
        line(0.95, "Revenue", "grew", "4", "percent")));
    m.observe(8_000, "c.jpg", List.of(line(0.97, "Weekly", "Sales", "Report"), line(0.97, "Region", "South"),
        line(0.97, "Revenue", "grew", "7", "percent")));
    m.observe(12_000, "d.jpg", List.of(line(0.97, "Weekly", "Sales", "Report"), line(0.97, "Region", "South"),
        line(0.97, "Revenue", "grew", "7", "percent"), line(0.97, "Target", "met")));
    List<Segment> out = m.finish(16_000);
    assertThat(out).extracting(Segment::startMillis).containsExactly(0L, 4_000L, 8_000L, 12_000L);
    assertThat(out).extracting(Segment::endMillis).containsExactly(4_000L, 8_000L, 12_000L, 16_000L);
    assertThat(out.get(0).text()).contains("North").contains("4 percent");
    assertThat(out.get(0).keyframe()).isEqualTo("a.jpg"); // the later, more confident slide is not carried back
    assertThat(out.get(1).text()).contains("South").contains("4 percent");
    assertThat(out.get(2).text()).contains("7 percent").doesNotContain("Target");
    assertThat(out.get(3).text()).contains("Target met");
  }

  @Test
  void ocrNoiseIsAbsorbedButEveryRealWordChangeIsSeen() {
    List<ScreenWords.Word> clean = ScreenWords.of("Total budget: 4.2 million euros\nInformation Systems");
    for (String noisy : List.of("total budget 4.2 million euros\ninformation systems", // case, punctuation
        "Total budget; 4,2 milion euros\nInformation Systems",                           // a dropped letter
        "Total budget: 4.2 million euros\n1nformation Systerns",                         // 1/I, rn/m confusions
        "Total budget: 4.2 million euros . \nInformation Systems ~")) {                  // stray marks
      assertThat(ScreenWords.same(clean, ScreenWords.of(noisy))).as(noisy).isTrue();
    }
    for (String changed : List.of("Total budget: 4.3 million euros\nInformation Systems", // a number
        "Total budget: 4.2 billion euros\nInformation Systems",                          // a short word
        "Total budget: 4.2 million dollars\nInformation Systems",                        // a word
        "Total budget: 4.2 million euros\nInformation Systems\nApproved",                 // a word added
        "Total budget: 4.2 million\nInformation Systems",                                // a word removed
        "Total budget: 4.2 million euros\nInformation Services")) {                       // a long word, 3 edits
      assertThat(ScreenWords.same(clean, ScreenWords.of(changed))).as(changed).isFalse();
    }
    assertThat(ScreenWords.same(ScreenWords.of("Round 1000000"), ScreenWords.of("Round 100000"))).isFalse();
  }

  @Test
  void flickeringReadsOfOneSlideStayOneSpan() {
    OcrSpanMerger m = new OcrSpanMerger(0.6);
    String[][] reads = {{"Information", "Systems", "budget:", "4.2", "million"}, {"lnformation", "Systerns", "budget", "4.2", "milion"},
        {"INFORMATION", "SYSTEMS", "Budget", "4.2", "million", "~"}, {"Information", "Systems", "budget.", "4,2", "million"}};
    for (int i = 0; i < 8; i++) {
      m.observe(i * 2_000L, i + ".jpg", List.of(line(0.9, reads[i % reads.length])));
    }
    assertThat(m.finish(16_000)).singleElement().satisfies(s -> {
      assertThat(s.startMillis()).isZero();
      assertThat(s.endMillis()).isEqualTo(16_000);
    });
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
