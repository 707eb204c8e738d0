package dev.longshot.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link Answerer} backend promises; each backend's test extends this. */
abstract class AnswererContract {
  static final String V = "00000000000000aa";
  static final List<Evidence> EVIDENCE = List.of(
      new Evidence(V, Modality.OCR, 83_000, 90_000, "Total budget: 4.2 million euros", "000083000.jpg", 0.05),
      new Evidence(V, Modality.ASR, 91_000, 95_000, "the total budget is four point two million euros", "000091000.jpg", 0.04));

  abstract Answerer answerer();

  @Test
  void returnsTheEvidenceItWasGivenAndItsName() {
    Answer a = answerer().answer("What is the budget?", EVIDENCE, t -> { });
    assertThat(a.evidence()).isEqualTo(EVIDENCE);
    assertThat(a.backend()).isEqualTo(answerer().name());
    assertThat(a.text()).isNotBlank();
  }

  @Test
  void streamedPiecesMakeUpTheAnswer() {
    StringBuilder streamed = new StringBuilder();
    Answer a = answerer().answer("What is the budget?", EVIDENCE, streamed::append);
    assertThat(streamed.toString().strip()).isEqualTo(a.text());
  }

  @Test
  void answersWithoutEvidence() {
    Answer a = answerer().answer("What is the budget?", List.of(), t -> { });
    assertThat(a.evidence()).isEmpty();
    assertThat(a.text()).isNotBlank();
  }
}
