package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromptLayoutTest {

  @Test
  void builderLaysOutTextAndImageGridsContiguously() {
    PromptLayout layout = PromptLayout.builder().text(3).tile(0, 0, 0, 2, 2, -1).text(1).tile(0, 0, 1, 2, 2, -1)
        .text(2).vision(0, 2, 2, -1).text(1).vision(1, 3, 2, 1500).text(4).text(1).build();

    assertThat(layout.length()).isEqualTo(3 + 4 + 1 + 4 + 2 + 4 + 1 + 6 + 5);
    assertThat(layout.ranges()).hasSize(9);
    assertThat(layout.imageCount()).isEqualTo(2);
    assertThat(layout.visionTokensOf(0)).isEqualTo(12);
    assertThat(layout.visionTokensOf(1)).isEqualTo(6);
    assertThat(layout.visionTokens()).isEqualTo(18);
    PromptLayout.Range frame = layout.visionRanges().get(3);
    assertThat(frame.start()).isEqualTo(19);
    assertThat(frame.cols()).isEqualTo(2);
    assertThat(frame.timestampMillis()).isEqualTo(1500);
    assertThat(frame.isGlobalView()).isTrue();
    assertThat(layout.visionRanges().get(1).isGlobalView()).isFalse();
    assertThat(layout.rangeAt(19)).isEqualTo(frame);
    assertThat(layout.modalityAt(2)).isEqualTo(Modality.TEXT);
    assertThat(layout.modalityAt(3)).isEqualTo(Modality.VISION);
    assertThat(layout.textRanges().get(4).length()).isEqualTo(5);
    Modality[] flat = layout.modalities();
    for (int p = 0; p < layout.length(); p++) {
      assertThat(flat[p]).isEqualTo(layout.modalityAt(p));
    }
  }

  @Test
  void rejectsGapsAndGridsThatDoNotMatchTheRange() {
    var a = new PromptLayout.Range(Modality.TEXT, 0, 2, -1, -1, -1, 0, 0, -1);
    var b = new PromptLayout.Range(Modality.TEXT, 3, 4, -1, -1, -1, 0, 0, -1);
    assertThatThrownBy(() -> new PromptLayout(java.util.List.of(a, b))).hasMessageContaining("expected a range at 2");
    assertThatThrownBy(() -> new PromptLayout.Range(Modality.VISION, 0, 5, 0, -1, -1, 2, 2, -1))
        .hasMessageContaining("2 x 2");
    assertThatThrownBy(() -> PromptLayout.builder().text(1).build().rangeAt(1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
