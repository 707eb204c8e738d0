package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.config.ContextStrategy;
import dev.longshot.config.EmbeddingDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of the bundled BGE-small embedder: unit vectors, batching, prefixes and bad input. */
class OnnxTextEmbedderTest {
  private static final long SEED = 4242L;

  @ParameterizedTest
  @EnumSource(ContextStrategy.class)
  void everyStrategyGivesUnitVectorsForShortEmptyAndLongTexts(ContextStrategy strategy) {
    OnnxTextEmbedder e = SharedEmbedders.bge(strategy);
    List<float[]> vs = e.embedPassages(List.of("a short caption", "", longText(new Random(SEED), 1300)));
    assertThat(vs).hasSize(3);
    for (float[] v : vs) {
      assertThat(v).hasSize(384);
      assertThat(Vectors.dot(v, v)).isCloseTo(1f, within(1e-4f));
    }
  }

  @Test
  void reportsTheModel() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS);
    assertThat(e.name()).isEqualTo("bge-small-en-v1.5");
    assertThat(e.dimension()).isEqualTo(384);
    assertThat(e.trainedWindow()).isEqualTo(512);
    assertThat(e.maxTokens()).isEqualTo(8192);
    assertThat(SharedEmbedders.bge(ContextStrategy.TRUNCATE).maxTokens()).isEqualTo(512);
  }

  @Test
  void batchedEmbeddingsEqualOneByOne() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS);
    List<String> texts = List.of("the cat sat on the mat", "x",
        "a much longer sentence about the lecture on garbage collection and heap layouts", "",
        longText(new Random(SEED), 700));
    List<float[]> batched = e.embedPassages(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = e.embedPassages(List.of(texts.get(i))).get(0);
      for (int d = 0; d < single.length; d++) {
        assertThat(batched.get(i)[d]).as("text %d dim %d", i, d).isCloseTo(single[d], within(1e-5f));
      }
    }
  }

  @Test
  void relatedTextsScoreHigherThanUnrelated() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.TRUNCATE);
    float[] q = e.embedQuery("how does the garbage collector free memory");
    List<float[]> p = e.embedPassages(List.of("The collector reclaims heap objects that are no longer reachable.",
        "Add two cups of flour and bake for forty minutes."));
    assertThat(Vectors.dot(q, p.get(0))).isGreaterThan(Vectors.dot(q, p.get(1)) + 0.1f);
  }

  @Test
  void textsBeyondTheLimitAreTruncatedNotRejected() {
    OnnxTextEmbedder e = new OnnxTextEmbedder(ModelSource.bundledBgeSmall(), ContextStrategy.PARALLEL_WINDOWS,
        1024, EmbeddingDevice.CPU, 8);
    try (e) {
      String text = longText(new Random(SEED), 1100);
      assertThat(e.countTokens(text)).isGreaterThan(1022);
      float[] cut = e.embedPassages(List.of(text)).get(0);
      float[] longer = e.embedPassages(List.of(text + " " + longText(new Random(SEED + 1), 500))).get(0);
      assertThat(longer).containsExactly(cut, within(1e-6f));
    }
  }

  @Test
  void overlappingWindowsPoolTheLengthWeightedWindowVectors() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS);
    String text = longText(new Random(SEED + 7), 1300);
    int n = e.countTokens(text);
    int room = e.trainedWindow() - 2;
    List<float[]> windows = e.passageWindows(text, room, room / 2);
    // windows start every 255 tokens and the last one ends at the text's end
    assertThat(windows).hasSize((n - room + room / 2 - 1) / (room / 2) + 1);
    float[] expected = new float[e.dimension()];
    for (int k = 0; k < windows.size(); k++) {
      int len = Math.min(n, k * (room / 2) + room) - k * (room / 2);
      for (int d = 0; d < expected.length; d++) {
        expected[d] += len * windows.get(k)[d];
      }
    }
    assertThat(e.embedPassages(List.of(text)).get(0)).containsExactly(Vectors.normalize(expected), within(1e-5f));
    try (OnnxTextEmbedder disjoint = new OnnxTextEmbedder(ModelSource.bundledBgeSmall(),
        ContextStrategy.PARALLEL_WINDOWS, 8192, EmbeddingDevice.CPU, 16, 0)) {
      float[] v = disjoint.embedPassages(List.of(text)).get(0);
      assertThat(Vectors.dot(v, e.embedPassages(List.of(text)).get(0))).isLessThan(1 - 1e-6f);
    }
  }

  @Test
  void brokenUnicodeIsReplacedNotFatal() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.TRUNCATE);
    String broken = "caf\uFFFD au lait \uD800 alone \uDC00 and \u0000 nul";
    float[] v = e.embedPassages(List.of(broken)).get(0);
    assertThat(Vectors.dot(v, v)).isCloseTo(1f, within(1e-4f));
    assertThat(WordPieces.clean("a\uD800b\uD83D\uDE00c")).isEqualTo("a\uFFFDb\uD83D\uDE00c");
  }

  @Test
  void tokenizerDoesNotTruncateAt512() {
    OnnxTextEmbedder e = SharedEmbedders.bge(ContextStrategy.PARALLEL_WINDOWS);
    assertThat(e.countTokens(longText(new Random(SEED), 3000))).isGreaterThan(2900);
  }

  /** Roughly {@code words} words of seeded prose (about one token per word). */
  static String longText(Random rnd, int words) {
    String[] vocab = {"river", "stone", "garden", "morning", "lecture", "heap", "diagram", "table", "green", "blue",
        "window", "quietly", "the", "and", "of", "speaker", "slide", "number", "market", "train"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      out.add(vocab[rnd.nextInt(vocab.length)] + (i % 11 == 10 ? "." : ""));
    }
    return String.join(" ", out);
  }
}
