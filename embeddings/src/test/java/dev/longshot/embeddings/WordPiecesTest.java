package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile tokenizer.json may not bring into the native tokenizer. */
class WordPiecesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static ObjectNode bgeTokenizer() throws IOException {
    return (ObjectNode) JSON.readTree(ModelSource.bundledBgeSmall().readTokenizer());
  }

  @Test
  void aRegexInTheTokenizerIsRefusedAtLoadNotAJvmAbortAtTheFirstQuestion() throws Exception {
    // The tokenizers crate matches Split/Replace regexes with Oniguruma, a backtracking engine: (a+)+$ against
    // 24 a's and a '!' ran into Oniguruma's retry limit and the crate's panic aborted the JVM (exit 134), so any
    // question or segment text of that shape killed serve. BERT-family tokenizers split without regexes.
    ObjectNode root = bgeTokenizer();
    ObjectNode split = root.putObject("pre_tokenizer");
    split.put("type", "Split").putObject("pattern").put("Regex", "(a+)+$");
    split.put("behavior", "Isolated").put("invert", false);
    byte[] json = JSON.writeValueAsBytes(root);
    assertThatThrownBy(() -> new WordPieces(json, "hostile/tokenizer.json").ids("a".repeat(64) + "!"))
        .isInstanceOf(EmbeddingException.class)
        .hasMessage("tokenizer hostile/tokenizer.json: pre_tokenizer has the regex '(a+)+$'; the native tokenizer "
            + "matches regexes by backtracking, so tokenizers with regexes are not supported (BERT-family "
            + "tokenizers split without them; allowed: ' {2,}')");
  }

  @Test
  void aRegexInANormalizerOrDecoderIsRefusedToo() throws Exception {
    ObjectNode root = bgeTokenizer();
    ObjectNode replace = root.putObject("normalizer");
    replace.put("type", "Sequence").putArray("normalizers").addObject().put("type", "Replace").put("content", " ")
        .putObject("pattern").put("Regex", "(x*)*y");
    byte[] json = JSON.writeValueAsBytes(root);
    assertThatThrownBy(() -> new WordPieces(json, "t.json")).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("t.json: normalizer has the regex '(x*)*y'");
  }

  /**
   * The tokenizers library's SentencePiece conversions (XLM-RoBERTa, ALBERT, DeBERTa-v3, T5) collapse runs of spaces
   * with this Replace; refusing every regex refused those encoders (multilingual-e5, gte-multilingual) at start-up.
   */
  @Test
  void theSpaceCollapsingRegexOfSentencePieceConversionsStillLoads() throws Exception {
    ObjectNode root = bgeTokenizer();
    root.putObject("normalizer").put("type", "Sequence").putArray("normalizers").addObject().put("type", "Replace")
        .put("content", ",").putObject("pattern").put("Regex", " {2,}");
    try (WordPieces w = new WordPieces(JSON.writeValueAsBytes(root), "xlmr/tokenizer.json")) {
      assertThat(w.ids("a    b")).containsExactly(w.ids("a,b"));
      assertThat(w.ids("a b")).doesNotContain(w.ids(",")[0]);
    }
  }

  @Test
  void aStringPatternIsNoRegexAndStillLoads() throws Exception {
    ObjectNode root = bgeTokenizer();
    root.putObject("normalizer").put("type", "Replace").put("content", " ").putObject("pattern").put("String", "_");
    WordPieces w = new WordPieces(JSON.writeValueAsBytes(root), "t.json");
    assertThat(w.ids("a_b")).containsExactly(w.ids("a b"));
  }

  @Test
  void aTokenizerJsonOverTheModelFileLimitIsRefusedBeforeItIsRead() throws Exception {
    // ModelSource.fromFiles read embeddings.tokenizer-path whole up to 2 GiB, the limit of the ONNX file
    Path model = Files.write(dir.resolve("m.onnx"), new byte[16]);
    Path tokenizer = dir.resolve("tokenizer.json");
    try (RandomAccessFile f = new RandomAccessFile(tokenizer.toFile(), "rw")) {
      f.setLength((300L << 20)); // sparse
    }
    assertThatThrownBy(() -> ModelSource.fromFiles(model, tokenizer).readTokenizer())
        .isInstanceOf(EmbeddingException.class).hasMessageContaining(tokenizer.toString())
        .hasMessageContaining(String.valueOf(300L << 20))
        .hasMessageContaining(String.valueOf(ModelLimits.MAX_JSON_FILE_BYTES));
  }
}
