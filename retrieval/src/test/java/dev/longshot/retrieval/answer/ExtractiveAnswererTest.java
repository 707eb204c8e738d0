package dev.longshot.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest extends AnswererContract {
  @Override
  Answerer answerer() {
    return new ExtractiveAnswerer();
  }

  @Test
  void quotesTheBestEvidenceWithTimestamps() {
    assertThat(answerer().answer("q", EVIDENCE, t -> { }).text()).isEqualTo(
        "At 01:23 the slide reads \"Total budget: 4.2 million euros\"; at 01:31 the speaker says "
            + "\"the total budget is four point two million euros\".");
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
