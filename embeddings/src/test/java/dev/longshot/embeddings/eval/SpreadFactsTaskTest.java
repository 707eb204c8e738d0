package dev.longshot.embeddings.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The LoCoV1-style spread task (issue 20 item 3): three facts per document, one in each third; most facts alone are
 * shared with other documents, only the three together pick one. Whitespace words stand in for tokens here.
 */
class SpreadFactsTaskTest {
  private static final long SEED = 20261202L;
  private static final Pattern FACT = Pattern.compile("The bridge project is (led by|based in|built with) ([A-Z]?[a-z]+(?: [A-Z][a-z]+)?)\\.");

  @Test
  void factsSitInTheThreeThirdsAndOnlyTheirCombinationIsUnique() {
    RetrievalTask set = new SyntheticLongTasks(t -> t.split("\\s+").length, SEED).spread(3000, 10);
    assertThat(set.documents()).hasSize(10);
    Set<List<String>> combinations = new HashSet<>();
    int shared = 0;
    for (int d = 0; d < 10; d++) {
      String doc = set.documents().get(d);
      assertThat(doc.split("\\s+").length).as("seed %d", SEED).isBetween(2800, 3000);
      Matcher m = FACT.matcher(doc);
      List<String> values = new java.util.ArrayList<>();
      for (int third = 0; third < 3; third++) {
        assertThat(m.find()).isTrue();
        double at = (double) m.start() / doc.length();
        assertThat(at).as("fact %d of document %d at %.2f, seed %d", third, d, at, SEED)
            .isBetween(third / 3.0 - 0.02, (third + 1) / 3.0 + 0.02);
        values.add(m.group(2));
      }
      assertThat(m.find()).isFalse();
      assertThat(combinations.add(values)).isTrue();
      assertThat(set.queries().get(d)).contains(values);
      for (String v : values) {
        shared += set.documents().stream().filter(o -> o.contains(" " + v + ".")).count() >= 2 ? 1 : 0;
      }
    }
    assertThat(shared).as("facts shared with another document, of 30, seed %d", SEED).isGreaterThanOrEqualTo(24);
  }

  @Test
  void refusesMoreDocumentsThanDistinctCombinations() {
    assertThatThrownBy(() -> new SyntheticLongTasks(t -> 1, SEED).spread(100, 200))
        .hasMessage("at most 171 documents per spread set, asked 200");
  }
}
