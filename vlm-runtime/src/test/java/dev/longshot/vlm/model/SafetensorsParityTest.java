package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same random weights written as GGUF and as a Hugging Face directory (safetensors with un-permuted Llama Q/K
 * rows, config.json, tokenizer.json) give the same tokens, the same logits (max |diff| <= 1e-4: only the RoPE
 * pairing and row order differ, so only float rounding can) and the same greedy text.
 */
class SafetensorsParityTest {
  private static final long SEED = 77L;

  static Stream<ModelSpec> specs() {
    return Stream.of(ModelSpec.tinyLlama(), ModelSpec.tinyQwen2());
  }

  @ParameterizedTest
  @MethodSource("specs")
  void safetensorsAndGgufWithTheSameWeightsAgree(ModelSpec spec, @TempDir Path dir) throws Exception {
    RandomModel rm = new RandomModel(spec, SEED);
    Path gguf = dir.resolve("m.gguf");
    Path hf = dir.resolve("hf");
    rm.writeGguf(gguf, TensorEncoding.F32);
    rm.writeHuggingFace(hf);
    String prompt = "Hello world, 123 + 4567 = ?\n<|im_start|>the answer";
    try (TextGenerator a = TextGenerator.load(gguf, new VlmSettings(gguf, 2, 256, 16));
        TextGenerator b = TextGenerator.load(hf, new VlmSettings(hf, 2, 256, 16))) {
      assertThat(b.encodePrompt(prompt)).containsExactly(a.encodePrompt(prompt));
      List<float[]> la = new ArrayList<>();
      List<float[]> lb = new ArrayList<>();
      String ta = a.generate(a.encodePrompt(prompt), GenerationSettings.greedy(16), s -> { }, (t, l) -> la.add(l));
      String tb = b.generate(b.encodePrompt(prompt), GenerationSettings.greedy(16), s -> { }, (t, l) -> lb.add(l));
      assertThat(tb).as("greedy text, %s seed %d", spec.arch(), SEED).isEqualTo(ta);
      assertThat(lb).hasSameSizeAs(la);
      for (int i = 0; i < la.size(); i++) {
        float max = 0;
        for (int v = 0; v < la.get(i).length; v++) {
          max = Math.max(max, Math.abs(la.get(i)[v] - lb.get(i)[v]));
        }
        assertThat(max).as("step %d max logit diff, %s seed %d", i, spec.arch(), SEED).isLessThanOrEqualTo(1e-4f);
      }
    }
  }
}
