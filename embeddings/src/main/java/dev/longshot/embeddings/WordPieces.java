package dev.longshot.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The model's own tokenizer.json run by HuggingFace tokenizers (Rust, through DJL's JNI binding whose jar carries
 * the linux-x86_64 native, so it works offline). Returns content ids without special tokens; the caller adds
 * {@link #clsId()} and {@link #sepId()} around each window. Thread-safe; the owner closes it.
 */
final class WordPieces implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final long clsId;
  private final long sepId;

  WordPieces(byte[] tokenizerJson, String where) {
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
