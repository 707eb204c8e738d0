package dev.longshot.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's own tokenizer.json run by HuggingFace tokenizers (Rust, through DJL's JNI binding whose jar carries
 * the linux-x86_64 native, so it works offline). Returns content ids without special tokens; the caller adds
 * {@link #clsId()} and {@link #sepId()} around each window. Thread-safe; the owner closes it.
 */
final class WordPieces implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final long clsId;
  private final long sepId;
  private final long maxTokenId;

  /** Deeper than any real tokenizer.json (5 levels), well under serde_json's recursion limit of 128. */
  static final int MAX_JSON_DEPTH = 64;

  /**
   * The regexes a tokenizer.json may carry: the tokenizers library's SentencePiece conversions (XLM-RoBERTa, ALBERT,
   * DeBERTa-v3, T5) collapse runs of spaces with a Replace normalizer on {@code " {2,}"}, which cannot backtrack.
   */
  static final Set<String> ALLOWED_REGEXES = Set.of(" {2,}");

  WordPieces(byte[] tokenizerJson, String where) {
    JsonNode root = requireWellFormed(tokenizerJson, where);
    refuseRegexes(root, where);
    this.maxTokenId = maxTokenId(root);
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new EmbeddingException("cannot load tokenizer " + where + ": " + e.getMessage(), e);
    }
    long[] empty = tokenizer.encode("", true, false).getIds();
    if (empty.length < 2) {
      tokenizer.close();
      throw new EmbeddingException("tokenizer " + where + " adds no [CLS]/[SEP] pair; not a BERT-family tokenizer");
    }
    this.clsId = empty[0];
    this.sepId = empty[empty.length - 1];
  }

  /**
   * Refuses what the Rust tokenizers crate would not parse cleanly: it panics, aborting the whole JVM, on malformed
   * JSON inside some sections ({@code decoders/mod.rs}: {@code .expect("Helper")}), so syntax, duplicated keys,
   * nesting past {@link #MAX_JSON_DEPTH} and unpaired surrogates (which serde_json rejects) are caught here first,
   * by Jackson, as an {@link EmbeddingException} naming the file.
   */
  static JsonNode requireWellFormed(byte[] json, String where) {
    JsonNode root;
    try {
      root = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new EmbeddingException("tokenizer " + where + " is not valid JSON: " + e.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
    } catch (IOException e) {
      throw new EmbeddingException("cannot read tokenizer " + where + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new EmbeddingException("tokenizer " + where + " is not a JSON object");
    }
    ArrayDeque<Object[]> todo = new ArrayDeque<>();
    todo.push(new Object[] {root, 1});
    while (!todo.isEmpty()) {
      Object[] item = todo.pop();
      JsonNode n = (JsonNode) item[0];
      int depth = (Integer) item[1];
      if (depth > MAX_JSON_DEPTH) {
        throw new EmbeddingException("tokenizer " + where + " nests deeper than " + MAX_JSON_DEPTH + " levels");
      }
      if (n.isTextual()) {
        requireWholeUnicode(n.textValue(), where);
      }
      for (var it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        requireWholeUnicode(e.getKey(), where);
        todo.push(new Object[] {e.getValue(), depth + 1});
      }
      if (n.isArray()) {
        n.forEach(c -> todo.push(new Object[] {c, depth + 1}));
      }
    }
    return root;
  }

  /**
   * Refuses a {@code "pattern": {"Regex": ...}} anywhere outside the vocabulary (Split pre-tokenizers, Replace
   * normalizers and decoders): the tokenizers crate matches them with Oniguruma, which backtracks, and a pattern such
   * as {@code (a+)+$} on a short text runs into Oniguruma's retry limit, where the crate panics and the JVM aborts.
   * BERT-family tokenizers (BertPreTokenizer, BertNormalizer, WordPiece decoder) use no regexes; SentencePiece ones
   * only {@link #ALLOWED_REGEXES}.
   */
  private static void refuseRegexes(JsonNode root, String where) {
    for (var section = root.fields(); section.hasNext(); ) {
      var s = section.next();
      if (s.getKey().equals("model") || s.getKey().equals("added_tokens")) {
        continue;
      }
      ArrayDeque<JsonNode> todo = new ArrayDeque<>();
      todo.push(s.getValue());
      while (!todo.isEmpty()) {
        JsonNode n = todo.pop();
        JsonNode regex = n.path("pattern").path("Regex");
        if (!regex.isMissingNode() && !(regex.isTextual() && ALLOWED_REGEXES.contains(regex.textValue()))) {
          throw new EmbeddingException("tokenizer " + where + ": " + s.getKey() + " has the regex '" + regex.asText()
              + "'; the native tokenizer matches regexes by backtracking, so tokenizers with regexes are not "
              + "supported (BERT-family tokenizers split without them; allowed: "
              + String.join(", ", ALLOWED_REGEXES.stream().map(r -> "'" + r + "'").toList()) + ")");
        }
        n.elements().forEachRemaining(todo::push);
      }
    }
  }

  /** The largest id in {@code model.vocab} (an object of ids, or a Unigram list) and {@code added_tokens}; -1 if none. */
  private static long maxTokenId(JsonNode root) {
    long max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isArray()) {
      max = vocab.size() - 1;
    }
    for (JsonNode id : vocab.isObject() ? vocab : List.<JsonNode>of()) {
      max = Math.max(max, id.asLong(-1));
    }
    for (JsonNode t : root.path("added_tokens")) {
      max = Math.max(max, t.path("id").asLong(-1));
    }
    return max;
  }

  /** The largest token id this tokenizer can produce; the model must embed at least this many plus one. */
  long maxTokenId() {
    return maxTokenId;
  }

  private static void requireWholeUnicode(String s, String where) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new EmbeddingException("tokenizer " + where + " holds an unpaired UTF-16 surrogate (\\u"
            + Integer.toHexString(c) + "), which is not text");
      }
    }
  }

  long clsId() {
    return clsId;
  }

  long sepId() {
    return sepId;
  }

  /** Content token ids of {@code text}, no special tokens, no truncation. */
  long[] ids(String text) {
    Encoding e = tokenizer.encode(clean(text), false, false);
    return e.getIds();
  }

  /**
   * Replaces lone UTF-16 surrogates (text decoded from broken UTF-8 or cut mid-character) and NUL with U+FFFD, so
   * the native tokenizer only ever sees valid Unicode.
   */
  static String clean(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean bad = c == 0;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          if (sb != null) {
            sb.append(c).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
        bad = true;
      } else if (Character.isLowSurrogate(c)) {
        bad = true;
      }
      if (bad && sb == null) {
        sb = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (sb != null) {
        sb.append(bad ? '\uFFFD' : c);
      }
    }
    return sb == null ? text : sb.toString();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
