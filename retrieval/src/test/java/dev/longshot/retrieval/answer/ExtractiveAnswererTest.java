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

  /** Answer typing: a line holding the kind of answer the question asks for leads, in several phrasings and modalities. */
  @Test
  void aLineHoldingTheAskedKindOfAnswerBeatsOneThatOnlyRepeatsTheQuestion() {
    List<Evidence> talk = List.of(
        new Evidence(V, Modality.ASR, 1_000, 4_000, "welcome to this keynote talk about old bridges", null, 2),
        new Evidence(V, Modality.OCR, 0, 20_000, "Bridges of Ghent\nKeynote talk\nPresenter: Dr. Tomas Varga\nGhent, 2023",
            null, 1));
    assertThat(answerer().answer("Who is giving this keynote talk?", talk, t -> { }).text())
        .startsWith("Presenter: Dr. Tomas Varga (slide at 00:00).");
    List<Evidence> show = List.of(
        new Evidence(V, Modality.SUBTITLE, 0, 3_000, "Welcome back to the cooking show.", null, 2),
        new Evidence(V, Modality.SUBTITLE, 3_000, 6_000, "Hi, I'm Nora Quist and this is my kitchen.", null, 1));
    assertThat(answerer().answer("Who hosts the cooking show?", show, t -> { }).text())
        .startsWith("Hi, I'm Nora Quist and this is my kitchen (subtitles at 00:03).");
    List<Evidence> inspections = List.of(
        new Evidence(V, Modality.ASR, 10_000, 14_000, "the team will inspect the bridges across the city", null, 2),
        new Evidence(V, Modality.OCR, 8_000, 30_000, "Inspection plan\nBridges inspected: 42", null, 1));
    assertThat(answerer().answer("How many bridges did the team inspect in the city?", inspections, t -> { }).text())
        .startsWith("Bridges inspected: 42 (slide at 00:08).");
    List<Evidence> timeline = List.of(
        new Evidence(V, Modality.ASR, 40_000, 44_000, "the new bridge over the canal opens to traffic", null, 2),
        new Evidence(V, Modality.ASR, 44_000, 47_000, "the new bridge opens in september twenty twenty seven", null, 1));
    assertThat(answerer().answer("When does the new bridge over the canal open?", timeline, t -> { }).text())
        .startsWith("The new bridge opens in september twenty twenty seven (speech at 00:44).");
  }

  /**
   * A line of the asked form about another subject does not lead: page furniture (a press contact, a page counter) is
   * no answer unless the question asks about it, and a typed line sharing no word with the question ranks below a
   * line that holds the question's terms ("Funded by the city council" names who funded: the agent of the question's
   * verb is a person-like answer).
   */
  @Test
  void aLineOfTheAskedFormAboutAnotherSubjectDoesNotLead() {
    Evidence funding = new Evidence(V, Modality.OCR, 0, 20_000,
        "Bridge project\nFunded by the city council\nContact: Dr. Ada Byrne", null, 1);
    assertThat(answerer().answer("Who funded the bridge project?", List.of(funding), t -> { }).text())
        .isEqualTo("Funded by the city council (slide at 00:00).");
    assertThat(answerer().answer("Who is the press contact?", List.of(funding), t -> { }).text())
        .as("the question asks about the contact").isEqualTo("Contact: Dr. Ada Byrne (slide at 00:00).");
    Evidence thanks = new Evidence(V, Modality.OCR, 0, 20_000,
        "Bridge project\nThanks to Dr. Ada Byrne\nThe city council paid for the bridge", null, 1);
    assertThat(answerer().answer("Who paid for the bridge project?", List.of(thanks), t -> { }).text())
        .startsWith("The city council paid for the bridge (slide at 00:00).");
    Evidence inspected = new Evidence(V, Modality.OCR, 30_000, 50_000, "Bridges inspected by the team: all\nPage 3", null, 1);
    assertThat(answerer().answer("How many bridges were inspected?", List.of(inspected), t -> { }).text())
        .isEqualTo("Bridges inspected by the team: all (slide at 00:30).");
    Evidence storm = new Evidence(V, Modality.OCR, 5_000, 9_000,
        "Storm damage\nSome sensors failed in the heavy storm\nMeasured with 12 buoys\nSlide 4 of 12", null, 1);
    assertThat(answerer().answer("How many sensors failed in the storm?", List.of(storm), t -> { }).text())
        .isEqualTo("Some sensors failed in the heavy storm (slide at 00:05).");
    List<Evidence> briefing = List.of(
        new Evidence(V, Modality.OCR, 50_000, 76_000, "Library Hours\nOpens at 8:30 am on weekdays\nChief Librarian: "
            + "Grace Tan\nContact: Dr. Ada Byrne, press office Page 3", null, 2),
        new Evidence(V, Modality.ASR, 51_000, 54_000, "may i ask everyone to note the new library hours", null, 1));
    assertThat(answerer().answer("Who is the chief librarian?", briefing, t -> { }).text())
        .startsWith("Chief Librarian: Grace Tan (slide at 00:50).");
    assertThat(answerer().answer("When does the library open?", briefing, t -> { }).text())
        .startsWith("Opens at 8:30 am on weekdays (slide at 00:50).");
  }

  /** A role label answers "who" when its role is what the question asks about: a speaker gives the lecture. */
  @Test
  void aRoleLabelAnswersWhenTheQuestionAsksForThatRole() {
    Evidence slide = new Evidence(V, Modality.OCR, 0, 20_000,
        "Bridge project\nKeynote lecture\nSpeaker: Dr. Ada Byrne\nHost: Tom Reyes", null, 1);
    assertThat(answerer().answer("Who is giving the keynote lecture?", List.of(slide), t -> { }).text())
        .isEqualTo("Speaker: Dr. Ada Byrne (slide at 00:00).");
    assertThat(answerer().answer("Who hosts the bridge project evening?", List.of(slide), t -> { }).text())
        .isEqualTo("Host: Tom Reyes (slide at 00:00).");
    assertThat(answerer().answer("Who attended the keynote lecture?", List.of(slide), t -> { }).text())
        .as("no role attends: no name leads, the slide is quoted as it is").startsWith("At 00:00 the slide reads");
  }

  /** No answer of the asked kind: the line holding the question's terms leads as before; no name or number is made up. */
  @Test
  void evidenceWithoutAnAnswerOfTheAskedKindStillLeadsWithItsBestLine() {
    Evidence panel = new Evidence(V, Modality.ASR, 61_000, 64_000, "every milestone is reviewed by an external panel", null, 1);
    assertThat(answerer().answer("Who reviews every milestone?", List.of(panel), t -> { }).text())
        .isEqualTo("Every milestone is reviewed by an external panel (speech at 01:01).");
    Evidence storm = new Evidence(V, Modality.OCR, 5_000, 9_000, "Storm damage\nSome sensors failed during the storm", null, 1);
    assertThat(answerer().answer("How many sensors failed?", List.of(storm), t -> { }).text())
        .isEqualTo("Some sensors failed during the storm (slide at 00:05).");
  }

  /** A name on a slide of another moment, sharing no word with the question, does not answer "who". */
  @Test
  void anAnswerOfTheAskedKindNeedsTheQuestionsTermsInItsMoment() {
    List<Evidence> evidence = List.of(
        new Evidence(V, Modality.ASR, 0, 5_000, "the bridge was designed for heavy trucks", null, 2),
        new Evidence(V, Modality.OCR, 100_000, 110_000, "Thanks\nDr. Ada Byrne", null, 1));
    assertThat(answerer().answer("Who designed the bridge?", evidence, t -> { }).text())
        .isEqualTo("The bridge was designed for heavy trucks (speech at 00:00).");
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
