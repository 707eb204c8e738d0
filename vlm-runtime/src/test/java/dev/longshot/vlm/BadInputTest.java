package dev.longshot.vlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.GgufWriter;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, corrupt or mismatched model files and absurd settings fail with a message naming the bad thing. */
class BadInputTest {
  @TempDir
  Path dir;

  private Path tinyGguf() throws Exception {
    Path f = dir.resolve("tiny.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 3).writeGguf(f, TensorEncoding.Q8_0);
    return f;
  }

  @Test
  void everyTruncationOfAGgufFileFailsCleanly() throws Exception {
    byte[] whole = Files.readAllBytes(tinyGguf());
    Path cut = dir.resolve("cut.gguf");
    for (int len : new int[] {0, 3, 20, 100, 2000, 20000, whole.length / 2, whole.length - 200}) {
      Files.write(cut, Arrays.copyOf(whole, len));
      assertThatThrownBy(() -> LoadedModel.load(cut)).as("truncated to %d bytes", len)
          .isInstanceOf(ModelFormatException.class).hasMessageContaining("cut.gguf");
    }
  }

  @Test
  void corruptHeaderFieldsAreNamed() throws Exception {
    byte[] whole = Files.readAllBytes(tinyGguf());
    Path bad = dir.resolve("bad.gguf");
    byte[] magic = whole.clone();
    magic[0] = 'X';
    Files.write(bad, magic);
    assertThatThrownBy(() -> LoadedModel.load(bad)).hasMessageContaining("not a GGUF file");
    byte[] count = whole.clone();
    count[15] = 0x7F; // tensor count's top byte
    Files.write(bad, count);
    assertThatThrownBy(() -> LoadedModel.load(bad)).hasMessageContaining("tensor count");
    assertThatThrownBy(() -> LoadedModel.load(dir.resolve("missing.gguf"))).hasMessageContaining("does not exist");
  }

  @Test
  void unknownArchitectureAndTensorTypeAreNamed() throws Exception {
    Path f = dir.resolve("odd.gguf");
    new GgufWriter().put("general.architecture", "mamba").write(f);
    assertThatThrownBy(() -> LoadedModel.load(f)).hasMessageContaining("architecture 'mamba'")
        .hasMessageContaining("qwen2");
    new GgufWriter().put("general.architecture", "llama").put("llama.embedding_length", 64)
        .put("llama.attention.head_count", 4).put("llama.feed_forward_length", 96).put("llama.block_count", 1)
        .tensor("token_embd.weight", new long[] {64, 10}, 0, new byte[2560])
        .tensor("blk.0.attn_norm.weight", new long[] {64}, 10, new byte[84]).write(f);
    assertThatThrownBy(() -> LoadedModel.load(f)).hasMessageContaining("Q2_K")
        .hasMessageContaining("blk.0.attn_norm.weight");
  }

  @Test
  void aTokenizerThatDoesNotMatchTheModelIsRejected() throws Exception {
    Path hf = dir.resolve("hf");
    new RandomModel(ModelSpec.tinyLlama(), 3).writeHuggingFace(hf);
    ObjectMapper om = new ObjectMapper();
    ObjectNode cfg = (ObjectNode) om.readTree(hf.resolve("config.json").toFile());
    cfg.put("vocab_size", 100);
    om.writeValue(hf.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> LoadedModel.load(hf)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model.embed_tokens.weight").hasMessageContaining("[100, 64]");
    cfg.put("vocab_size", ModelSpec.tinyLlama().vocab());
    cfg.put("model_type", "gpt_neox");
    om.writeValue(hf.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> LoadedModel.load(hf)).hasMessageContaining("gpt_neox");
    Files.delete(hf.resolve("config.json"));
    assertThatThrownBy(() -> LoadedModel.load(hf)).hasMessageContaining("config.json is missing");
  }

  @Test
  void truncatedSafetensorsIsNamed() throws Exception {
    Path hf = dir.resolve("hf2");
    new RandomModel(ModelSpec.tinyQwen2(), 3).writeHuggingFace(hf);
    Path st = hf.resolve("model.safetensors");
    byte[] whole = Files.readAllBytes(st);
    Files.write(st, Arrays.copyOf(whole, whole.length - 100));
    assertThatThrownBy(() -> LoadedModel.load(hf)).hasMessageContaining("model.safetensors")
        .hasMessageContaining("truncated");
  }

  @Test
  void promptsLongerThanTheContextAndAbsurdSettingsFailClearly() throws Exception {
    Path f = tinyGguf();
    try (TextGenerator g = TextGenerator.load(f, new VlmSettings(f, 1, 32, 8))) {
      assertThatThrownBy(() -> g.generate("word ".repeat(40), GenerationSettings.greedy(4), s -> { }))
          .hasMessageContaining("context holds 32");
      assertThatThrownBy(() -> g.generate(new int[0], GenerationSettings.greedy(4), s -> { }, null))
          .hasMessageContaining("prompt is empty");
      // asking for more tokens than fit stops at the context end instead of overflowing the cache
      int[] prompt = g.encodePrompt("word ".repeat(5));
      int[] steps = {0};
      g.generate(prompt, GenerationSettings.greedy(1000), s -> { }, (t, l) -> steps[0]++);
      assertThat(steps[0]).isPositive().isLessThanOrEqualTo(32 - prompt.length);
    }
    assertThatThrownBy(() -> GenerationSettings.greedy(0)).hasMessageContaining("maxTokens").hasMessageContaining("0");
    assertThatThrownBy(() -> new GenerationSettings(8, Float.NaN, 0, 1f, 1f, 0, 0, List.of()))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> new GenerationSettings(8, 1f, -1, 1f, 1f, 0, 0, List.of()))
        .hasMessageContaining("topK");
    assertThatThrownBy(() -> new GenerationSettings(8, 1f, 0, 0f, 1f, 0, 0, List.of())).hasMessageContaining("topP");
    assertThatThrownBy(() -> new GenerationSettings(8, 1f, 0, 1f, 0f, 0, 0, List.of()))
        .hasMessageContaining("repetitionPenalty");
  }
}
