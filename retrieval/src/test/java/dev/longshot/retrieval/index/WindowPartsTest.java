package dev.longshot.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPartsTest {
  @Test
  void halfOverlappingPartsCoverEveryWordTwiceAndTheLastEndsWithTheText() {
    assertThat(new WindowParts(4).split("a b c d e f g h i")).containsExactly("a b c d", "c d e f", "e f g h", "f g h i");
    assertThat(new WindowParts(4).split("a b c d e f")).containsExactly("a b c d", "c d e f");
  }

  @Test
  void aShortTextIsOnePart() {
    assertThat(new WindowParts(4).split("  a b\tc d ")).isEqualTo(List.of("a b\tc d"));
  }

  @Test
  void refusesPartsOfFewerThanTwoWords() {
    assertThatThrownBy(() -> new WindowParts(1)).hasMessage("window parts need >= 2 words, got 1");
  }
}
