package dev.longshot.retrieval.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectTextFilterTest {
  private static final String DET = "Objects: person (2), dog (1). Locations: person 1 top-left, dog bottom-right. "
      + "Relations: dog is below person 2.";

  @Test
  void keepsOnlyTheRequestedParts() {
    assertThat(ObjectTextFilter.apply(DET, Set.of(ObjectInfo.NUMBER))).isEqualTo("Objects: person (2), dog (1).");
    assertThat(ObjectTextFilter.apply(DET, Set.of(ObjectInfo.LOCATION, ObjectInfo.RELATION)))
        .isEqualTo("Locations: person 1 top-left, dog bottom-right. Relations: dog is below person 2.");
  }

  @Test
  void keepsEverythingWithoutTypeOrForUnknownFormats() {
    assertThat(ObjectTextFilter.apply(DET, Set.of())).isEqualTo(DET);
    assertThat(ObjectTextFilter.apply("person, dog", Set.of(ObjectInfo.NUMBER))).isEqualTo("person, dog");
  }
}
