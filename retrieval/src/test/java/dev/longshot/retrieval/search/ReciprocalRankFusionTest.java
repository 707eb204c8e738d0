package dev.longshot.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
  @Test
  void sumsOneOverKPlusRankAcrossLists() {
    Map<String, Double> fused = new ReciprocalRankFusion(60).fuse(List.of(List.of("a", "b", "c"), List.of("c", "a")));
    assertThat(fused.get("a")).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
    assertThat(fused.get("b")).isCloseTo(1.0 / 62, within(1e-12));
    assertThat(fused.get("c")).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
  }

  @Test
  void aDocumentInBothListsBeatsOneThatTopsOnlyOne() {
    Map<String, Double> fused = new ReciprocalRankFusion(60).fuse(List.of(List.of("solo", "both"), List.of("x", "both")));
    assertThat(fused.get("both")).isGreaterThan(fused.get("solo"));
  }

  @Test
  void rejectsANonPositiveK() {
    assertThatThrownBy(() -> new ReciprocalRankFusion(0)).hasMessageContaining("got 0");
  }
}
