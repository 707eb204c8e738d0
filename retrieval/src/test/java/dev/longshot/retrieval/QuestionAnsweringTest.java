package dev.longshot.retrieval;

import static dev.longshot.retrieval.Fixtures.VIDEO_A;
import static dev.longshot.retrieval.Fixtures.VIDEO_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.longshot.config.AnswerBackend;
import dev.longshot.config.AnswerSettings;
import dev.longshot.config.DecomposerKind;
import dev.longshot.retrieval.answer.ExtractiveAnswerer;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.retrieval.index.LuceneEvidenceIndex;
import dev.longshot.retrieval.query.RuleBasedDecomposer;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The use case end to end over a real on-disk index, with the stand-in embedder ({@link HashingTextEmbedder}). */
class QuestionAnsweringTest {
  @TempDir Path tmp;
  EvidenceIndex index;
  QuestionAnswering qa;

  @BeforeEach
  void setUp() {
    index = LuceneEvidenceIndex.open(tmp.resolve("index"), new HashingTextEmbedder(256), Fixtures.settings());
    qa = new QuestionAnswering(index, RuleBasedDecomposer.withCocoClasses(), new ExtractiveAnswerer());
  }

  @AfterEach
  void tearDown() {
    index.close();
  }

  @Test
  void evidenceReachesItsSinkBeforeTheFirstToken() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), Fixtures.lecture());
    List<String> events = new ArrayList<>();
    Answer a = qa.ask("What does the learning rate control?", Set.of(), e -> events.add("evidence " + e.size()),
        t -> events.add("token"));
    assertThat(events.getFirst()).startsWith("evidence ").isNotEqualTo("evidence 0");
    assertThat(events).contains("token");
    assertThat(a.text()).containsPattern("^The learning rate .* \\((speech|slide) at 00:2\\d\\)");
    assertThat(a.evidence()).allSatisfy(e -> assertThat(e.videoId()).isEqualTo(VIDEO_A));
  }

  @Test
  void objectQuestionsFindDetectionsTrimmedToTheRequestedInformation() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), Fixtures.lecture());
    List<Evidence> evidence = qa.retrieve("How many laptops are there?", Set.of());
    Evidence det = evidence.stream().filter(e -> e.modality() == Modality.DET).findFirst().orElseThrow();
    assertThat(det.text()).isEqualTo("Objects: person (1), laptop (1).");
    assertThat(det.startMillis()).isEqualTo(35_000);
  }

  @Test
  void restrictsToTheGivenVideos() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), Fixtures.lecture());
    index.replaceVideo(Fixtures.manifest(VIDEO_B, "fp"), List.of(Fixtures.seg(Modality.ASR, 1, 5, "the learning rate of b")));
    assertThat(qa.retrieve("learning rate", Set.of(VIDEO_B))).extracting(Evidence::videoId).containsOnly(VIDEO_B);
  }

  /**
   * "Who is the speaker?" names a person (the decomposer also asks the detector for one), and the title slide holding
   * "Speaker: Dr. Maria Lopez" is a BM25 hit whose cosine stays under retrieval.min-similarity: evidence that holds
   * every key term of the question counts (it was dropped and the answer was "nothing found").
   */
  @Test
  void aSlideHoldingEveryKeyTermOfTheQuestionIsEvidenceBelowTheSimilarityCutOff() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(
        Fixtures.seg(Modality.OCR, 0, 22, "Project Heron\nRiver monitoring lecture\nSpeaker: Dr. Maria Lopez\nDelft, March 2024"),
        Fixtures.seg(Modality.ASR, 1, 3, "welcome to this lecture about project heron"),
        Fixtures.seg(Modality.ASR, 30, 36, "the sensors measure the water level every ten minutes")));

    Answer a = qa.ask("Who is the speaker?", Set.of(), e -> { }, t -> { });

    assertThat(a.evidence()).extracting(Evidence::modality, Evidence::startMillis).contains(tuple(Modality.OCR, 0L));
    assertThat(a.text()).contains("Maria Lopez");
    assertThat(qa.ask("Who won the football cup?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();
  }

  /**
   * Answer typing in evidence selection: for "who", the title slide that names the presenter and holds a key term of
   * the question ("talk") is evidence below the cut-off, and so is the self-introduction spoken in the same moment,
   * which shares no word with the question. A question about something else still finds nothing.
   */
  @Test
  void aHitHoldingTheAskedKindOfAnswerAndAKeyTermIsEvidenceAndSoIsItsMoment() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(
        Fixtures.seg(Modality.OCR, 0, 20, "Bridges of Ghent\nA keynote talk on stone arches and steel trusses\n"
            + "Presenter: Dr. Tomas Varga\nGhent University, May 2023"),
        Fixtures.seg(Modality.ASR, 1, 4, "welcome everyone to this talk"),
        Fixtures.seg(Modality.ASR, 5, 9, "my name is tomas varga and i build bridges for a living"),
        Fixtures.seg(Modality.ASR, 30, 40, "heavy trucks cross the old bridge every morning")));

    Answer a = qa.ask("Who is giving this talk?", Set.of(), e -> { }, t -> { });

    assertThat(a.evidence()).extracting(Evidence::modality, Evidence::startMillis)
        .contains(tuple(Modality.OCR, 0L), tuple(Modality.ASR, 5_000L));
    assertThat(a.text()).startsWith("Presenter: Dr. Tomas Varga (slide at 00:00).")
        .contains("at 00:05 the speaker says \"my name is tomas varga and i build bridges for a living\"");
    assertThat(qa.ask("Who won the football cup?", Set.of(), e -> { }, t -> { }).text()).isEqualTo(ExtractiveAnswerer.NOTHING_FOUND);
  }

  /** Negative cases: a who-question whose evidence names nobody, a how-many question over text without a number. */
  @Test
  void aHitWithoutAnAnswerOfTheAskedKindIsNotEvidenceBelowTheCutOff() {
    String deck = "Bridges we love\nStone arches over quiet rivers\nSteel trusses for railways\nWooden footpaths in parks\n"
        + "Rope crossings in the mountains\nConcrete spans for motorways";
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(Fixtures.seg(Modality.OCR, 0, 20, deck)));
    assertThat(qa.ask("How many bridges collapsed?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();
    assertThat(qa.ask("Who designed these bridges?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();

    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp2"), List.of(Fixtures.seg(Modality.OCR, 0, 20,
        deck + "\n12 bridges collapsed in the 2021 floods\nDesigned by Dr. Ada Byrne")));
    assertThat(qa.ask("How many bridges collapsed?", Set.of(), e -> { }, t -> { }).text())
        .isEqualTo("12 bridges collapsed in the 2021 floods (slide at 00:00).");
    assertThat(qa.ask("Who designed these bridges?", Set.of(), e -> { }, t -> { }).text())
        .isEqualTo("Designed by Dr. Ada Byrne (slide at 00:00).");
  }

  /**
   * Below the cut-off, the line that answers must itself hold half the question's key terms (a role it asks about
   * counts as one): "How much does a new house cost?" shares "new" with "New footbridge over the canal" and "cost"
   * with the line "Cost: 2.8 million pounds", but that line is about the footbridge, not a house; "How much did the
   * footbridge cost?" still finds it.
   */
  @Test
  void theLineThatAnswersHoldsHalfTheKeyTermsItself() {
    String deck = "Bridges we love\nStone arches over quiet rivers\nSteel trusses for railways\nWooden footpaths in parks\n"
        + "Rope crossings in the mountains\nConcrete spans for motorways\nNew footbridge over the canal\n"
        + "Cost: 2.8 million pounds";
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(Fixtures.seg(Modality.OCR, 0, 20, deck)));
    assertThat(qa.ask("How much does a new house cost?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();
    assertThat(qa.ask("How much did the footbridge cost?", Set.of(), e -> { }, t -> { }).text())
        .startsWith("Cost: 2.8 million pounds (slide at 00:00).");
  }

  /**
   * Page furniture is no answer: a deck whose only name is its press contact and whose only number is its page counter
   * is not evidence below the cut-off for "who" or "how many", unless the question asks about the contact.
   */
  @Test
  void aPressContactOrAPageCounterIsNoAnswer() {
    String deck = "Bridges we love\nStone arches over quiet rivers\nSteel trusses for railways\nWooden footpaths in parks\n"
        + "Rope crossings in the mountains\nConcrete spans for motorways\nContact: Dr. Ada Byrne, press office\nPage 3";
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(Fixtures.seg(Modality.OCR, 0, 20, deck)));
    assertThat(qa.ask("Who designed these bridges?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();
    assertThat(qa.ask("How many bridges collapsed?", Set.of(), e -> { }, t -> { }).evidence()).isEmpty();
    assertThat(qa.ask("Who is the press contact for these bridges?", Set.of(), e -> { }, t -> { }).text())
        .isEqualTo("Contact: Dr. Ada Byrne, press office (slide at 00:00).");
  }

  /**
   * A sentence the recogniser misheard ("project castle" for "project Kestrel") holds most key terms and is said
   * while the slide that is evidence is shown: it is evidence too, and it answers.
   */
  @Test
  void aSentenceOfTheSameMomentHoldingMostKeyTermsIsEvidence() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), List.of(
        Fixtures.seg(Modality.OCR, 0, 20, "Project Kestrel\nBridge monitoring"),
        Fixtures.seg(Modality.ASR, 10, 14, "project castle inspects old stone bridges in flanders with small drones and "
            + "thermal cameras every single week of the year during the dry season"),
        Fixtures.seg(Modality.ASR, 60, 64, "project budgets grow every year")));

    Answer a = qa.ask("What does project Kestrel inspect?", Set.of(), e -> { }, t -> { });

    assertThat(a.text()).startsWith("Project castle inspects old stone bridges");
    assertThat(a.evidence()).extracting(Evidence::startMillis).doesNotContain(60_000L);
  }

  @Test
  void anIrrelevantQuestionGetsThePlainNothingFoundAnswer() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), Fixtures.lecture());
    Answer a = qa.ask("Which football club won the cup final?", Set.of(), e -> { }, t -> { });
    assertThat(a.evidence()).isEmpty();
    assertThat(a.text()).isEqualTo(ExtractiveAnswerer.NOTHING_FOUND);
  }

  @Test
  void badQuestionsAndUnknownVideosAreClearErrors() {
    index.replaceVideo(Fixtures.manifest(VIDEO_A, "fp"), Fixtures.lecture());
    assertThatThrownBy(() -> qa.retrieve("  ", Set.of())).hasMessage("The question is empty");
    assertThatThrownBy(() -> qa.retrieve(null, Set.of())).hasMessage("The question is empty");
    assertThatThrownBy(() -> qa.retrieve("why ".repeat(2500), Set.of()))
        .hasMessage("The question is 9999 characters long; at most 1000 are allowed");
    // issue 13: one limit for the command line and the web (it was 2000 here and 1000 there)
    assertThatThrownBy(() -> qa.retrieve("x".repeat(1001), Set.of()))
        .hasMessage("The question is 1001 characters long; at most 1000 are allowed");
    assertThatThrownBy(() -> qa.retrieve("learning rate", Set.of("0123456789abcdef")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown video id [0123456789abcdef]; indexed videos: [" + VIDEO_A + "]");
    assertThat(qa.retrieve("title:learning AND rate^2 OR \"momentum", Set.of())).isNotEmpty();
  }

  @Test
  void anEmptyIndexSaysToIngestFirst() {
    assertThatThrownBy(() -> qa.retrieve("learning rate", Set.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds no videos yet");
  }

  @Test
  void theModelDecomposerNeedsAModelBackend() {
    EvidenceIndex modelIndex = LuceneEvidenceIndex.open(tmp.resolve("index2"), new HashingTextEmbedder(256),
        new dev.longshot.config.RetrievalSettings(8, 60, 0.3, 60, 4, DecomposerKind.MODEL, 50, 100));
    try (modelIndex) {
      AnswerSettings extractive = new AnswerSettings(AnswerBackend.EXTRACTIVE, null, null, null, Duration.ofSeconds(5), 0, 8);
      assertThatThrownBy(() -> QuestionAnswering.create(modelIndex, extractive, KeyframeResolver.none(), null))
          .hasMessageContaining("retrieval.decomposer=model needs a model");
      QuestionAnswering withModel = QuestionAnswering.create(modelIndex,
          new AnswerSettings(AnswerBackend.EMBEDDED, null, null, null, Duration.ofSeconds(5), 0, 8), KeyframeResolver.none(),
          (prompt, images, sink) -> "{\"ASR\": null, \"DET\": [\"laptop\"], \"TYPE\": [\"location\"]}");
      assertThat(withModel.decomposer().decompose("Where is the laptop?").source()).isEqualTo("model");
    }
  }
}
