package dev.longshot.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.timeline.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanMergerTest {
  private static final String V = "00000000000000aa";

  private static Candidate c(Modality m, long start, long end, String text, double score) {
    return new Candidate(V, m, start, end, text, start + ".jpg", score, 0.5, 1, 1);
  }

  @Test
  void adjacentSpeechMergesAndKeepsTheBestKeyframeAndScore() {
    List<SearchHit> hits = new SpanMerger(4000).merge(List.of(
        c(Modality.ASR, 10_000, 15_000, "first half", 0.02), c(Modality.ASR, 17_000, 20_000, "second half", 0.03),
        c(Modality.ASR, 40_000, 45_000, "far away", 0.01)));
    assertThat(hits).hasSize(2);
    assertThat(hits.getFirst().evidence()).satisfies(e -> {
      assertThat(e.startMillis()).isEqualTo(10_000);
      assertThat(e.endMillis()).isEqualTo(20_000);
      assertThat(e.text()).isEqualTo("first half second half");
      assertThat(e.keyframe()).isEqualTo("17000.jpg");
      assertThat(e.score()).isEqualTo(0.03);
    });
    assertThat(hits.getFirst().segments()).isEqualTo(2);
  }

  @Test
  void theSameSlideOnNeighbouringFramesMergesOnceButDifferentSlidesStayApart() {
    List<SearchHit> hits = new SpanMerger(4000).merge(List.of(
        c(Modality.OCR, 0, 2000, "Budget Overview total 4.2 million", 0.03),
        c(Modality.OCR, 2000, 4000, "Budget Overview total 4.2 million", 0.02),
        c(Modality.OCR, 4000, 6000, "Timeline phase one ends in June", 0.01)));
    assertThat(hits).extracting(h -> h.evidence().text())
        .containsExactly("Budget Overview total 4.2 million", "Timeline phase one ends in June");
    assertThat(hits.getFirst().evidence().endMillis()).isEqualTo(4000);
  }

  @Test
  void differentModalitiesOrVideosNeverMerge() {
    List<SearchHit> hits = new SpanMerger(4000).merge(List.of(
        c(Modality.ASR, 0, 1000, "a", 0.02), c(Modality.OCR, 500, 1500, "a", 0.01),
        new Candidate("00000000000000bb", Modality.ASR, 1000, 2000, "a", null, 0.015, 0.5, 1, 1)));
    assertThat(hits).hasSize(3);
  }

  @Test
  void nonMatchingCandidatesStayAlone() {
    List<SearchHit> hits = new SpanMerger(4000).merge(List.of(
        c(Modality.ASR, 0, 1000, "match", 0.02), c(Modality.ASR, 1000, 2000, "filler", 0.01)), x -> x.text().equals("match"));
    assertThat(hits).hasSize(2);
  }
}
