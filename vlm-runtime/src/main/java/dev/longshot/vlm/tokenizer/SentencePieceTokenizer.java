package dev.longshot.vlm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece-style BPE as llama.cpp runs it for GGUF {@code tokenizer.ggml.model = llama}: spaces become
 * U+2581, a leading one is added, then the adjacent pair whose concatenation is a vocabulary token with the highest
 * score merges first; characters not in the vocabulary fall back to {@code <0xXX>} byte tokens.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {
  private static final String SPACE = "\u2581";

  private final float[] scores;
  private final boolean addSpacePrefix;

  SentencePieceTokenizer(Vocabulary vocab, float[] scores, boolean addSpacePrefix) {
    super(vocab);
    this.scores = scores;
    this.addSpacePrefix = addSpacePrefix;
  }

  @Override
  public int[] encode(String text) {
    List<String> parts = new ArrayList<>();
    List<Integer> specials = new ArrayList<>();
    vocab.splitSpecials(text, parts, specials);
    List<Integer> out = new ArrayList<>();
    boolean first = true;
    for (int p = 0; p < parts.size(); p++) {
      if (specials.get(p) >= 0) {
        out.add(specials.get(p));
        continue;
      }
      String s = parts.get(p).replace(" ", SPACE);
      if (addSpacePrefix && first) {
        s = SPACE + s;
      }
      first = false;
      encodePlain(s, out);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private void encodePlain(String s, List<Integer> out) {
    List<String> symbols = new ArrayList<>();
    s.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
    while (symbols.size() > 1) {
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer id = vocab.ids.get(symbols.get(i) + symbols.get(i + 1));
        if (id != null && scores[id] > bestScore) {
          bestScore = scores[id];
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      symbols.set(best, symbols.get(best) + symbols.get(best + 1));
      symbols.remove(best + 1);
    }
    for (String sym : symbols) {
      Integer id = vocab.ids.get(sym);
      if (id != null) {
        out.add(id);
        continue;
      }
      for (byte b : sym.getBytes(StandardCharsets.UTF_8)) {
        Integer byteId = vocab.ids.get(String.format("<0x%02X>", b & 0xFF));
        if (byteId != null) {
          out.add(byteId);
        }
      }
    }
  }

  @Override
  public byte[] bytes(int id) {
    if (vocab.isControl(id)) {
      return new byte[0];
    }
    String t = vocab.tokens[id];
    if (vocab.types[id] == Vocabulary.BYTE && t.length() == 6 && t.startsWith("<0x")) {
      return new byte[] {(byte) Integer.parseInt(t.substring(3, 5), 16)};
    }
    return t.replace(SPACE, " ").getBytes(StandardCharsets.UTF_8);
  }
}
