package dev.longshot.retrieval.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleBasedDecomposerTest {
  private final RuleBasedDecomposer rules = RuleBasedDecomposer.withCocoClasses();

  @Test
  void countingQuestionsAskForNumbersOfTheNamedObjects() {
    RetrievalPlan p = rules.decompose("How many people are sitting next to the laptops?");
    assertThat(p.objects()).containsExactlyInAnyOrder("person", "laptop");
    assertThat(p.objectInfo()).containsExactlyInAnyOrder(ObjectInfo.NUMBER, ObjectInfo.RELATION);
    assertThat(p.source()).isEqualTo("rules");
  }

  @Test
  void whereQuestionsAskForLocationAndMultiWordClassesWin() {
    RetrievalPlan p = rules.decompose("Where is the cell phone?");
    assertThat(p.objects()).containsExactly("cell phone");
    assertThat(p.objectInfo()).containsExactly(ObjectInfo.LOCATION);
  }

  @Test
  void relationCuesAreFound() {
    assertThat(rules.decompose("Is the dog left of the chair?").objectInfo()).containsExactly(ObjectInfo.RELATION);
  }

  @Test
  void speechQuestionsNeedNoDetectionsButKeepTheirContentWords() {
    RetrievalPlan p = rules.decompose("What did the speaker say about the total budget?");
    assertThat(p.objects()).containsExactly("person");
    assertThat(p.asr()).isEqualTo("speaker total budget");
    RetrievalPlan q = rules.decompose("When is the final report due?");
    assertThat(q.objects()).isEmpty();
    assertThat(q.objectInfo()).isEmpty();
    assertThat(q.asr()).isEqualTo("final report due");
  }

  @Test
  void quotedPhrasesAreKept() {
    assertThat(rules.decompose("When does the slide say \"Battery life\" or “final report”?").phrases())
        .containsExactly("Battery life", "final report");
  }

  @Test
  void oddTextGivesAnEmptyPlanNotAnError() {
    RetrievalPlan p = rules.decompose("?!* AND ( ~ )");
    assertThat(p.asr()).isNull();
    assertThat(p.objects()).isEmpty();
  }
}
