package dev.longshot.vlm.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.BlockPacker;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with llama.cpp (an independent implementation, through {@code de.kherud:llama} in a forked JVM) on
 * seeded random-weight GGUF models of both architectures: the prompt tokenizes to the same ids, and greedy
 * continuations agree token for token. Stated tolerance: the continuations may only part at a step where our top
 * two logits are closer than {@code tieGap} (a near-tie that a different summation order, or llama.cpp's rounding
 * of activations to 8 bits (Q8_0, Q4_0) or 16 bits (F16), may flip); from there on nothing is compared. At least
 * half of all generated tokens must have been compared. Token probabilities are not compared: asking the binding
 * for them crashes it (see {@link LlamaCppOracle}).
 */
class LlamaCppParityTest {
  private static final long SEED = 42L;
  private static final int N_PREDICT = 24;
  private static final List<String> PROMPTS = List.of("the answer is", "Hello world, 123 + 4567 = ?\nNext line",
      "<|im_start|>user\nwhat is in the video?<|im_end|>\n<|im_start|>assistant\n",
      "They're 'quoted'   spaced\t\ttabs and more words: on, an, at, the, wall");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.F32, 1e-3f),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.F32, 1e-3f),
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.Q8_0, 0.1f),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.Q8_0, 0.1f),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.F16, 0.02f),
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.Q4_0, 0.3f));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void tokenizationAndGreedyContinuationsMatchLlamaCpp(ModelSpec spec, int type, float tieGap, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve(spec.arch() + "-" + type + ".gguf");
    new RandomModel(spec, SEED).writeGguf(file, type);
    assertParity(spec, file, "type " + type, tieGap);
  }

  /**
   * The block types of llama.cpp's K-quant files (valid random blocks from {@code BlockPacker}), each alone on a
   * model whose rows fill 256-element blocks, and a Q4_K_M-like mix (Q4_K, Q6_K, and the Q5_0 / Q8_0 fallbacks for
   * 352-wide rows). Our products take float activations where llama.cpp rounds them to 8 bits (Q8_K, Q8_0, Q8_1),
   * hence Q4_0's tie gap.
   */
  static Stream<Arguments> blockTypeCases() {
    return Stream.of(
        Arguments.of(ModelSpec.tinyKLlama(), "Q4_K", BlockPacker.Q4_K),
        Arguments.of(ModelSpec.tinyKLlama(), "Q6_K", BlockPacker.Q6_K),
        Arguments.of(ModelSpec.tinyKLlama(), "Q5_K", BlockPacker.Q5_K),
        Arguments.of(ModelSpec.tinyQwen2(), "Q5_0", BlockPacker.Q5_0),
        Arguments.of(ModelSpec.tinyLlama(), "Q4_1", BlockPacker.Q4_1),
        Arguments.of(ModelSpec.tinyQwen2(), "Q5_1", BlockPacker.Q5_1),
        Arguments.of(ModelSpec.tinyKQwen2Ragged(), "Q4_K_M-like", -1));
  }

  @ParameterizedTest
  @MethodSource("blockTypeCases")
  void blockTypeFilesMatchLlamaCpp(ModelSpec spec, String label, int type, @TempDir Path dir) throws Exception {
    Path file = dir.resolve(spec.arch() + "-" + label + ".gguf");
    RandomModel model = new RandomModel(spec, SEED);
    if (type < 0) {
      model.writeGguf(file, model.q4KmTypes());
    } else {
      model.writeGguf(file, type);
    }
    assertParity(spec, file, label, 0.3f);
  }

  private static void assertParity(ModelSpec spec, Path file, String label, float tieGap) throws Exception {
    List<LlamaCppProcess.Result> theirs = LlamaCppProcess.run(file, 2, N_PREDICT, 0, PROMPTS, 120);
    int compared = 0;
    int generated = 0;
    try (TextGenerator ours = TextGenerator.load(file, new VlmSettings(file, 2, 256, N_PREDICT))) {
      for (int p = 0; p < PROMPTS.size(); p++) {
        String prompt = PROMPTS.get(p);
        String what = spec.arch() + " " + label + " seed " + SEED + " prompt " + p;
        assertThat(ours.tokenizer().encode(prompt)).as("token ids, " + what).containsExactly(theirs.get(p).promptIds());
        List<Integer> tokens = new ArrayList<>();
        List<Float> gaps = new ArrayList<>();
        ours.generate(ours.encodePrompt(prompt), GenerationSettings.greedy(N_PREDICT), s -> { }, (tok, logits) -> {
          tokens.add(tok);
          gaps.add(topTwoGap(logits));
        });
        List<String> theirPieces = theirs.get(p).pieces().stream().map(LlamaCppProcess.Piece::text)
            .filter(t -> !t.isEmpty()).toList();
        generated += Math.max(theirPieces.size(), tokens.size());
        int i = 0;
        for (; i < Math.min(tokens.size(), theirPieces.size()); i++) {
          String mine = new String(ours.tokenizer().bytes(tokens.get(i)), java.nio.charset.StandardCharsets.UTF_8);
          if (!mine.equals(theirPieces.get(i))) {
            assertThat(gaps.get(i)).as("step %d parts ('%s' vs llama.cpp '%s') without a near-tie, %s", i, mine,
                theirPieces.get(i), what).isLessThan(tieGap);
            break;
          }
        }
        compared += i;
      }
    }
    System.out.printf("llama.cpp parity %s %s: %d of %d generated tokens identical before any near-tie%n",
        spec.arch(), label, compared, generated);
    assertThat(compared).as("tokens compared of %d", generated).isGreaterThanOrEqualTo(generated / 2);
  }

  static float topTwoGap(float[] logits) {
    float[] c = logits.clone();
    Arrays.sort(c);
    return c[c.length - 1] - c[c.length - 2];
  }
}
