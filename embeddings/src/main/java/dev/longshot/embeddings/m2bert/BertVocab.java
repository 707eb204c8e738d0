package dev.longshot.embeddings.m2bert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a BERT {@code vocab.txt} (one WordPiece token per line, the line number is the id) into the equivalent
 * HuggingFace {@code tokenizer.json} (BertNormalizer with lower-casing and accent stripping, BertPreTokenizer,
 * WordPiece with {@code ##} continuations and {@code [UNK]}, {@code [CLS] text [SEP]}), the tokenizer
 * {@code bert-base-uncased} defines and M2-BERT was trained with.
 */
public final class BertVocab {
  private BertVocab() {}

  /** The tokenizer.json bytes for {@code vocabTxt}; the file must hold [UNK], [CLS] and [SEP]. */
  public static byte[] tokenizerJson(Path vocabTxt) {
    List<String> tokens;
    try {
      tokens = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(ModelLimits.readSmallFile(vocabTxt)))
          .toString().lines().toList();
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + vocabTxt + ": " + e.getMessage(), e);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode vocab = json.createObjectNode();
    for (int i = 0; i < tokens.size(); i++) {
      if (!tokens.get(i).isEmpty() && !vocab.has(tokens.get(i))) {
        vocab.put(tokens.get(i), i);
      }
    }
    for (String special : new String[] {"[UNK]", "[CLS]", "[SEP]"}) {
      if (!vocab.has(special)) {
        throw new ModelFormatException(vocabTxt + " has no " + special + " token; not a BERT vocabulary");
      }
    }
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
      if (vocab.has(special)) {
        added.addObject().put("id", vocab.get(special).asInt()).put("content", special).put("single_word", false)
            .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
      }
    }
    root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
        .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor").put("type", "BertProcessing");
    post.putArray("sep").add("[SEP]").add(vocab.get("[SEP]").asInt());
    post.putArray("cls").add("[CLS]").add(vocab.get("[CLS]").asInt());
    root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]")
        .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
    model.set("vocab", vocab);
    try {
      return json.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
