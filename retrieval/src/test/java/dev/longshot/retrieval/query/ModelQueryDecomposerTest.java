package dev.longshot.retrieval.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The "model" here is a lambda returning canned replies: the test is about parsing and fallback, not a model. */
class ModelQueryDecomposerTest {
  private final RuleBasedDecomposer rules = RuleBasedDecomposer.withCocoClasses();

  @Test
  void usesTheModelsJsonEvenWhenWrappedInProseAndFences() {
    AtomicReference<String> prompt = new AtomicReference<>();
    ModelQueryDecomposer d = new ModelQueryDecomposer(p -> {
      prompt.set(p);
      return "Sure!\n```json\n{\"ASR\": \"the number of buoys\", \"DET\": [\"Boat\", \"person\"], \"TYPE\": [\"number\", \"Location\"]}\n```";
    }, rules);
    RetrievalPlan plan = d.decompose("How many buoys are there?");
    assertThat(plan.source()).isEqualTo("model");
    assertThat(plan.asr()).isEqualTo("the number of buoys");
    assertThat(plan.objects()).containsExactly("boat", "person");
    assertThat(plan.objectInfo()).containsExactlyInAnyOrder(ObjectInfo.NUMBER, ObjectInfo.LOCATION);
    assertThat(prompt.get()).startsWith("Question: How many buoys are there?").contains("\"ASR\"", "\"DET\"", "\"TYPE\"");
  }

  @Test
  void nullFieldsMeanNothingToRetrieve() {
    RetrievalPlan plan = new ModelQueryDecomposer(p -> "{\"ASR\": null, \"DET\": null, \"TYPE\": null}", rules).decompose("q?");
    assertThat(plan.source()).isEqualTo("model");
    assertThat(plan.asr()).isNull();
    assertThat(plan.objects()).isEmpty();
  }

  @Test
  void malformedOutputFallsBackToTheRules() {
    String question = "How many cups are on the table?";
    for (String reply : new String[] {"I think you should look for cups.", "{\"ASR\": \"cups\", \"DET\": [\"cup\"", "[1, 2]",
        "{\"DET\": \"cup\"}", "{\"TYPE\": [\"colour\"]}", "{\"ASR\": 42}", "{\"foo\": 1}", "", null}) {
      RetrievalPlan plan = new ModelQueryDecomposer(p -> reply, rules).decompose(question);
      assertThat(plan).as(String.valueOf(reply)).isEqualTo(rules.decompose(question));
    }
  }

  @Test
  void aFailingBackendFallsBackToTheRules() {
    RetrievalPlan plan = new ModelQueryDecomposer(p -> {
      throw new IllegalStateException("server down");
    }, rules).decompose("Where is the dog?");
    assertThat(plan.source()).isEqualTo("rules");
    assertThat(plan.objects()).containsExactly("dog");
  }
}
