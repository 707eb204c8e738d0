package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.ContextStrategy;
import dev.longshot.embeddings.eval.RetrievalAccuracy;
import dev.longshot.embeddings.eval.RetrievalTask;
import dev.longshot.embeddings.eval.SyntheticLongTasks;
import org.junit.jupiter.api.Test;

/** A small seeded LongEmbed passkey set at 2,048 tokens: reading past the first window must pay off. */
class PasskeyStrategyTest {
  private static final long SEED = 20240417L;

  @Test
  void parallelWindowsBeatTruncationAt2k() {
    OnnxTextEmbedder truncate = SharedEmbedders.bge(ContextStrategy.TRUNCATE);
    OnnxTextEmbedder pcw = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS);
    RetrievalTask set = new SyntheticLongTasks(pcw::countTokens, SEED).passkey(2048, 10);
    assertThat(set.documents()).allSatisfy(d -> assertThat(pcw.countTokens(d)).isBetween(1900, 2046));
    double truncated = RetrievalAccuracy.top1(truncate, set);
    double windows = RetrievalAccuracy.top1(pcw, set);
    assertThat(windows).as("seed %d: parallel windows %.2f vs truncation %.2f", SEED, windows, truncated)
        .isGreaterThan(truncated);
  }
}
