package dev.longshot.vlm.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE (GPT-2 / Llama 3 / Qwen2 / SmolLM2 vocabularies, GGUF {@code tokenizer.ggml.model = gpt2} or a
 * Hugging Face tokenizer.json): pre-tokenize, map each piece's UTF-8 bytes to characters, then merge the adjacent
 * pair with the lowest merge rank until none applies. Bytes missing from the vocabulary are skipped.
 */
public final class BpeTokenizer extends VocabularyTokenizer {
  private final Map<String, Integer> mergeRank;
  private final PreTokenizer preTokenizer;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  BpeTokenizer(Vocabulary vocab, List<String> merges, PreTokenizer preTokenizer) {
    super(vocab);
    this.preTokenizer = preTokenizer;
    this.mergeRank = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      mergeRank.putIfAbsent(merges.get(i), i);
    }
  }

  @Override
  public int[] encode(String text) {
    List<String> parts = new ArrayList<>();
    List<Integer> specials = new ArrayList<>();
    vocab.splitSpecials(text, parts, specials);
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      if (specials.get(p) >= 0) {
        out.add(specials.get(p));
        continue;
      }
      for (String piece : preTokenizer.split(parts.get(p))) {
        for (int id : cache.computeIfAbsent(piece, this::bpe)) {
          out.add(id);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private int[] bpe(String piece) {
    String mapped = ByteLevel.encode(piece);
    Integer whole = vocab.ids.get(mapped);
    if (whole != null) {
      return new int[] {whole};
    }
    List<String> symbols = new ArrayList<>(mapped.length());
    for (int i = 0; i < mapped.length(); i++) {
      symbols.add(String.valueOf(mapped.charAt(i)));
    }
    while (symbols.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer r = mergeRank.get(symbols.get(i) + " " + symbols.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      symbols.set(best, symbols.get(best) + symbols.get(best + 1));
      symbols.remove(best + 1);
    }
    return symbols.stream().map(vocab.ids::get).filter(id -> id != null).mapToInt(Integer::intValue).toArray();
  }

  @Override
  public byte[] bytes(int id) {
    if (vocab.isControl(id)) {
      return new byte[0];
    }
    if (vocab.types[id] == Vocabulary.USER_DEFINED) {
      return vocab.utf8(id);
    }
    return ByteLevel.decode(vocab.tokens[id]);
  }
}
