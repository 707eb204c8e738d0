package dev.longshot.vlm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.KvCachePolicy;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.chat.ChatTemplate;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.sample.Sampler;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation behaviour on a seeded tiny Qwen2 model: streaming, stop strings, sampling knobs, chat templates. */
class TextGeneratorTest {
  private static final long SEED = 5L;
  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    model = dir.resolve("qwen.gguf");
    new RandomModel(ModelSpec.tinyQwen2(), SEED).writeGguf(model, TensorEncoding.F32);
  }

  private static TextGenerator load() throws Exception {
    return TextGenerator.load(model, new VlmSettings(model, 2, 256, 32));
  }

  @Test
  void streamedPiecesConcatenateToTheResultAndMaxTokensCaps() throws Exception {
    try (TextGenerator g = load()) {
      StringBuilder streamed = new StringBuilder();
      List<Integer> tokens = new ArrayList<>();
      String text = g.generate(g.encodePrompt("the answer is"), GenerationSettings.greedy(10), streamed::append,
          (t, l) -> tokens.add(t));
      assertThat(streamed.toString()).isEqualTo(text);
      assertThat(tokens).hasSize(10);
      assertThat(text).isNotEmpty();
    }
  }

  @Test
  void stopStringsCutTheOutputBeforeTheirFirstOccurrence() throws Exception {
    try (TextGenerator g = load()) {
      String full = g.generate("the answer is", GenerationSettings.greedy(20), s -> { });
      String stop = full.substring(5, 7);
      StringBuilder streamed = new StringBuilder();
      String cut = g.generate("the answer is", GenerationSettings.greedy(20).withStopStrings(List.of(stop)),
          streamed::append);
      assertThat(cut).isEqualTo(full.substring(0, full.indexOf(stop)));
      assertThat(streamed.toString()).isEqualTo(cut);
    }
  }

  @Test
  void samplingIsReproducibleBySeedAndGreedyWhenTopKIsOne() throws Exception {
    try (TextGenerator g = load()) {
      GenerationSettings hot = GenerationSettings.greedy(16).withSampling(1.5f, 0, 1f, 11);
      String a = g.generate("the answer is", hot, s -> { });
      String b = g.generate("the answer is", hot, s -> { });
      assertThat(a).as("same seed, same text").isEqualTo(b);
      String greedy = g.generate("the answer is", GenerationSettings.greedy(16), s -> { });
      String topK1 = g.generate("the answer is", GenerationSettings.greedy(16).withSampling(1.5f, 1, 1f, 3), s -> { });
      assertThat(topK1).isEqualTo(greedy);
      String tinyP = g.generate("the answer is", GenerationSettings.greedy(16).withSampling(1f, 0, 1e-6f, 3), s -> { });
      assertThat(tinyP).isEqualTo(greedy);
      List<String> seeds = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        seeds.add(g.generate("the answer is", GenerationSettings.greedy(16).withSampling(2f, 0, 1f, s), x -> { }));
      }
      assertThat(seeds.stream().distinct().count()).as("hot sampling varies with the seed").isGreaterThan(1);
    }
  }

  @Test
  void aCompressingCachePolicyKeepsTrueDecodePositions() throws Exception {
    try (TextGenerator g = load()) {
      int[] prompt = g.encodePrompt("the answer is on the wall");
      List<Integer> decodePositions = new ArrayList<>();
      int[] kept = {0};
      DenseAttention dense = new DenseAttention();
      g.setAttention(new AttentionStrategies(dense, (shape, layer, q, pos, cache, out, par) -> {
        if (layer == 0) {
          decodePositions.add(pos);
        }
        dense.attend(shape, layer, q, pos, cache, out, par);
      }));
      g.setCachePolicy(new KvCachePolicy() {
        @Override
        public KvCache create(int layers, int kvHeads, int headDim, int capacity) {
          return new DenseKvCache(layers, kvHeads, headDim, capacity);
        }

        @Override
        public void afterPrefill(KvCache cache, int promptLength) {
          assertThat(promptLength).isEqualTo(prompt.length);
          int[] even = java.util.stream.IntStream.range(0, promptLength).filter(i -> i % 2 == 0 || i == promptLength - 1)
              .toArray();
          for (int l = 0; l < cache.layers(); l++) {
            for (int h = 0; h < cache.kvHeads(); h++) {
              cache.retain(l, h, even); // drop every other prompt entry
            }
          }
          kept[0] = cache.size(0, 0);
        }
      });
      g.generate(prompt, GenerationSettings.greedy(5), s -> { }, null);
      assertThat(kept[0]).isLessThan(prompt.length);
      assertThat(decodePositions).containsExactly(prompt.length, prompt.length + 1, prompt.length + 2,
          prompt.length + 3);
    }
  }

  @Test
  void repetitionPenaltyPushesDownRecentTokens() {
    float[] logits = {2f, 1f, -1f, 0.5f};
    new Sampler(GenerationSettings.greedy(4).withRepetitionPenalty(4f, 8)).sample(logits, new int[] {0, 2}, 2);
    assertThat(logits).containsExactly(0.5f, 1f, -4f, 0.5f);
    assertThat(Sampler.argmax(logits)).isEqualTo(1);
  }

  @Test
  void chatTemplatesRenderTheFamiliesAndImagePlaceholders() throws Exception {
    try (TextGenerator g = load()) {
      List<ChatMessage> chat = List.of(ChatMessage.system("be brief"),
          new ChatMessage("user", List.of(new ChatMessage.Text("look: "), new ChatMessage.Image(3))));
      assertThat(ChatTemplate.detect(g.tokenizer(), null)).isEqualTo(ChatTemplate.CHATML);
      String prompt = ChatTemplate.CHATML.render(chat, g.tokenizer());
      assertThat(prompt).isEqualTo("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nlook: "
          + "<|vision_start|><|image_pad|><|image_pad|><|image_pad|><|vision_end|><|im_end|>\n<|im_start|>assistant\n");
      assertThat(ChatTemplate.LLAMA3.render(List.of(ChatMessage.user("hi")), g.tokenizer()))
          .isEqualTo("<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
              + "<|start_header_id|>assistant<|end_header_id|>\n\n");
      assertThat(g.generate(List.of(ChatMessage.user("hi")), GenerationSettings.greedy(4), s -> { })).isNotNull();
    }
  }
}
