package dev.longshot.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest extends AnswererContract {
  @Override
  Answerer answerer() {
    return new ExtractiveAnswerer();
  }

  @Test
  void leadsWithTheShortestLineHoldingTheKeyTermsThenCitesTheRest() {
    assertThat(answerer().answer("What is the total budget?", EVIDENCE, t -> { }).text()).isEqualTo(
        "Total budget: 4.2 million euros (slide at 01:23). Also at 01:31 the speaker says "
            + "\"the total budget is four point two million euros\".");
  }

  @Test
  void quotesOneLineOfASlideNotTheWholeSlide() {
    Evidence slide = new Evidence(V, Modality.OCR, 22_000, 46_000,
        "Budget Overview\nTotal budget: 4.2 million euros\nSensors: 1.5 million euros\nSoftware: 900,000 euros", null, 1);
    assertThat(answerer().answer("How much does the software cost?", List.of(slide), t -> { }).text())
        .isEqualTo("Software: 900,000 euros (slide at 00:22).");
  }

  @Test
  void theSameTextFromSeveralMomentsAndVideosIsCitedOnceWithAllItsMoments() {
    String w = "00000000000000bb";
    List<Evidence> evidence = List.of(
        new Evidence(V, Modality.OCR, 46_000, 72_000, "Timeline\nFinal report due May 2026", null, 3),
        new Evidence(V, Modality.OCR, 170_000, 180_000, "Summary\nFinal report due May 2026", null, 2),
        new Evidence(w, Modality.OCR, 5_000, 9_000, "Timeline\nFinal report due May 2026", null, 1),
        new Evidence(V, Modality.ASR, 56_640, 60_115, "The final report is due in may twenty twenty six.", null, 1));
    String text = answerer().answer("When is the final report due?", evidence, t -> { }).text();
    assertThat(text).isEqualTo("Final report due May 2026 (slide at 00:46 and 02:50 in video 00000000000000aa, and at 00:05 in video "
        + "00000000000000bb). "
        + "Also at 00:56 the speaker says \"The final report is due in may twenty twenty six.\"");
  }

  @Test
  void momentsInSeveralVideosNameTheirFilesNotTheirIds() {
    String w = "00000000000000bb";
    List<Evidence> evidence = List.of(
        new Evidence(V, Modality.OCR, 22_000, 46_000, "Budget Overview\nTotal budget: 4.2 million euros", null, 2),
        new Evidence(w, Modality.OCR, 22_000, 40_000, "Budget Overview\nTotal budget: 4.2 million euros", null, 1));
    Map<String, String> names = Map.of(V, "lecture.mp4", w, "excerpt.mp4");
    assertThat(new ExtractiveAnswerer(id -> Optional.ofNullable(names.get(id))).answer("What is the total budget?", evidence,
        t -> { }).text()).isEqualTo("Total budget: 4.2 million euros (slide at 00:22 in lecture.mp4, and at 00:22 in excerpt.mp4).");
    assertThat(new ExtractiveAnswerer(id -> Optional.of("talk.mp4")).answer("What is the total budget?", evidence, t -> { }).text())
        .as("two files of one name are told apart by their ids").isEqualTo("Total budget: 4.2 million euros (slide at 00:22 in "
            + "talk.mp4 (video 00000000000000aa), and at 00:22 in talk.mp4 (video 00000000000000bb)).");
  }

  @Test
  void aSentenceOfMergedSpeechIsCitedAtItsPlaceInTheSpanNotAtTheSpanStart() {
    Evidence merged = new Evidence(V, Modality.ASR, 10_000, 30_000, "Welcome to the talk. The budget is four million euros.", null, 1);
    // 21 of 54 characters come before the sentence: 10 s + 21/54 of 20 s = 17.8 s
    assertThat(answerer().answer("What is the budget?", List.of(merged), t -> { }).text())
        .isEqualTo("The budget is four million euros (speech at 00:17).");
  }

  @Test
  void saysPlainlyWhenNothingWasFound() {
    assertThat(answerer().answer("q", List.of(), t -> { }).text()).isEqualTo(ExtractiveAnswerer.NOTHING_FOUND);
  }

  @Test
  void longQuotesAreCutAndHoursShown() {
    Evidence e = new Evidence(V, Modality.DET, 3_723_000, 3_724_000, "Objects: person (2). " + "x ".repeat(400), null, 1);
    String text = answerer().answer("q", List.of(e), t -> { }).text();
    assertThat(text).startsWith("At 1:02:03 the frame shows \"Objects: person (2).").endsWith(" …\".");
    assertThat(text.length()).isLessThan(ExtractiveAnswerer.MAX_QUOTE_CHARS + 60);
  }
}
