package dev.longshot.vlm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE (GGUF and tokenizer.json agree), SentencePiece-style BPE, special tokens and UTF-8 streaming. */
class TokenizerTest {
  private static final List<String> TEXTS = List.of("the answer is", "Hello world, 123 + 4567 = ?\nNext\n\n line",
      "ünïcödé ✓ 日本語 🎉", "<|im_start|>user\nhi<|im_end|>", "  leading and trailing  ", "they're 'quoted'");

  @Test
  void ggufAndTokenizerJsonVocabulariesEncodeIdenticallyAndRoundTrip(@TempDir Path dir) throws Exception {
    for (ModelSpec spec : List.of(ModelSpec.tinyLlama(), ModelSpec.tinyQwen2())) {
      RandomModel rm = new RandomModel(spec, 1);
      Path hf = dir.resolve(spec.arch());
      rm.writeHuggingFace(hf);
      Tokenizer fromJson = Tokenizers.fromTokenizerJson(hf.resolve("tokenizer.json"));
      Tokenizer fromGguf = Tokenizers.fromGguf(ggufMeta(rm, spec.arch().equals("qwen2") ? "qwen2" : "llama-bpe"), "t");
      for (String t : TEXTS) {
        int[] ids = fromGguf.encode(t);
        assertThat(fromJson.encode(t)).as(t).containsExactly(ids);
        assertThat(fromGguf.decode(ids)).as(t).isEqualTo(t.replace("<|im_start|>", "").replace("<|im_end|>", ""));
      }
      assertThat(fromGguf.encode("<|im_start|>")).containsExactly(fromGguf.id("<|im_start|>"));
      assertThat(fromGguf.encode(" the")).containsExactly(fromGguf.id("Ġthe"));
      assertThat(fromGguf.stopIds()).contains(fromGguf.id("<|im_end|>"));
    }
  }

  @Test
  void llama3AndQwen2PreTokenizersSplitDigitsDifferently() {
    assertThat(PreTokenizer.forGgufName("llama-bpe", "t").split("12345 abc")).containsExactly("123", "45", " abc");
    assertThat(PreTokenizer.forGgufName("qwen2", "t").split("123 abc")).containsExactly("1", "2", "3", " abc");
    assertThat(PreTokenizer.forGgufName("smollm", "t").split("a12 b")).containsExactly("a", "1", "2", " b");
    assertThatThrownBy(() -> PreTokenizer.forGgufName("tekken", "model.gguf"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("tekken").hasMessageContaining("qwen2");
  }

  @Test
  void sentencePieceMergesByScoreAndFallsBackToBytes() {
    String[] tokens = {"<unk>", "<s>", "</s>", "<0xC3>", "<0xA9>", "▁", "h", "e", "l", "o", "▁h", "ll", "▁he", "llo",
        "▁hello"};
    int[] types = {2, 3, 3, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    float[] scores = {0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -2, -3, -4, -5, -6};
    Map<String, Object> meta = new HashMap<>();
    meta.put("tokenizer.ggml.model", "llama");
    meta.put("tokenizer.ggml.tokens", tokens);
    meta.put("tokenizer.ggml.token_type", types);
    meta.put("tokenizer.ggml.scores", scores);
    meta.put("tokenizer.ggml.bos_token_id", 1);
    meta.put("tokenizer.ggml.eos_token_id", 2);
    Tokenizer t = Tokenizers.fromGguf(meta, "spm");
    int[] ids = t.encode("hello é");
    assertThat(ids).containsExactly(14, 5, 3, 4);
    assertThat(t.decode(ids)).isEqualTo(" hello é");
    assertThat(t.addBos()).isTrue();
    assertThat(t.stopIds()).containsExactly(2);
  }

  @Test
  void streamDecoderHoldsBackSplitUtf8Characters() {
    byte[] snowman = "☃".getBytes(StandardCharsets.UTF_8);
    assertThat(StreamDecoder.completePrefix(new byte[] {'a', snowman[0], snowman[1]})).isEqualTo(1);
    assertThat(StreamDecoder.completePrefix(new byte[] {'a', snowman[0], snowman[1], snowman[2]})).isEqualTo(4);
    assertThat(StreamDecoder.completePrefix(new byte[] {'a', 'b'})).isEqualTo(2);
  }

  @Test
  void badVocabularyMetadataFailsWithTheReason() {
    Map<String, Object> meta = new HashMap<>();
    meta.put("tokenizer.ggml.model", "bert");
    meta.put("tokenizer.ggml.tokens", new String[] {"a"});
    assertThatThrownBy(() -> Tokenizers.fromGguf(meta, "x.gguf")).hasMessageContaining("x.gguf")
        .hasMessageContaining("'bert'");
    meta.put("tokenizer.ggml.model", "gpt2");
    meta.put("tokenizer.ggml.eos_token_id", 5);
    assertThatThrownBy(() -> Tokenizers.fromGguf(meta, "x.gguf")).hasMessageContaining("eos token id 5");
  }

  static Map<String, Object> ggufMeta(RandomModel rm, String pre) {
    Map<String, Object> meta = new HashMap<>();
    meta.put("tokenizer.ggml.model", "gpt2");
    meta.put("tokenizer.ggml.pre", pre);
    meta.put("tokenizer.ggml.tokens", rm.vocab.tokens);
    meta.put("tokenizer.ggml.token_type", rm.vocab.types);
    meta.put("tokenizer.ggml.merges", rm.vocab.merges);
    meta.put("tokenizer.ggml.bos_token_id", rm.vocab.bos);
    meta.put("tokenizer.ggml.eos_token_id", rm.vocab.eos);
    meta.put("tokenizer.ggml.add_bos_token", rm.vocab.addBos);
    return meta;
  }
}
