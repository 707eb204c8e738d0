package dev.longshot.vlm.tokenizer;

import java.util.Set;

/**
 * Text to token ids and back for one model. Special tokens written literally in the text (e.g.
 * {@code <|im_start|>}) are recognised and encoded as their single id, which is how chat templates reach the model.
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {
  /** Token ids of {@code text}, without BOS. */
  int[] encode(String text);

  /** The bytes token {@code id} stands for in generated text (empty for control tokens such as EOS). */
  byte[] bytes(int id);

  /** The token's vocabulary string, as stored (for diagnostics and template checks). */
  String text(int id);

  /** Id of the token spelled exactly {@code text}, or -1. */
  int id(String text);

  int vocabSize();

  /** The beginning-of-sequence id, or -1 if the model has none. */
  int bos();

  /** Whether a BOS token is prepended to a prompt. */
  boolean addBos();

  /** Ids that end generation (EOS, end-of-turn). */
  Set<Integer> stopIds();

  /** Decodes ids to a string (invalid UTF-8 becomes U+FFFD). */
  default String decode(int[] ids) {
    StreamDecoder d = new StreamDecoder(this);
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      sb.append(d.next(id));
    }
    return sb.append(d.flush()).toString();
  }
}
