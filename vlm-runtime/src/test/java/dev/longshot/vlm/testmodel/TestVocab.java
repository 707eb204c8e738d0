package dev.longshot.vlm.testmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * A small but valid byte-level BPE vocabulary: 4 (Llama) or 6 (Qwen2, with the vision placeholders) control tokens, all 256 byte tokens (GPT-2 byte-to-char mapped), a
 * few merges, then filler tokens (never produced by the merges) up to the requested size.
 */
public final class TestVocab {
  static final String[] MERGES = {"Ġ t", "h e", "Ġt he", "i n", "e r", "o n", "Ġ a", "a n", "r e", "Ġ s", "l l",
      "Ġ w", "e n", "o r", "Ġ o", "a t"};
  /** Enough for either family (Qwen2 has 6 specials, Llama 4). */
  public static final int MIN_SIZE = 6 + 256 + MERGES.length;

  public final String[] tokens;
  public final int[] types;
  public final String[] merges = MERGES;
  public final int bos;
  public final int eos;
  public final boolean addBos;
  /** Whether token {@code i} prints as plain ASCII letters, digits, punctuation or space. */
  public final boolean[] printable;

  public TestVocab(String arch, int size) {
    this(arch, size, List.of());
  }

  /** A vocabulary with {@code extraSpecials} (e.g. SmolVLM's image tokens) appended to the family's control tokens. */
  public TestVocab(String arch, int size, List<String> extraSpecials) {
    if (size < MIN_SIZE + extraSpecials.size()) {
      throw new IllegalArgumentException("vocabulary needs at least " + (MIN_SIZE + extraSpecials.size()) + " tokens");
    }
    List<String> t = new ArrayList<>();
    if (arch.equals("qwen2")) {
      t.addAll(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
          "<|image_pad|>"));
      bos = 0;
      eos = 0;
      addBos = false;
    } else {
      t.addAll(List.of("<|begin_of_text|>", "<|end_of_text|>", "<|im_start|>", "<|im_end|>"));
      bos = 0;
      eos = 1;
      addBos = true;
    }
    t.addAll(extraSpecials);
    int specials = t.size();
    printable = new boolean[size];
    for (int b = 0; b < 256; b++) {
      printable[t.size()] = b >= 32 && b < 127;
      t.add(String.valueOf(byteChar(b)));
    }
    for (String m : MERGES) {
      printable[t.size()] = true;
      t.add(m.replace(" ", ""));
    }
    while (t.size() < size) {
      t.add("fill#" + t.size());
    }
    tokens = t.toArray(String[]::new);
    types = new int[size];
    for (int i = 0; i < size; i++) {
      types[i] = i < specials ? 3 : 1;
    }
  }

  /** GPT-2's byte-to-unicode mapping. */
  static char byteChar(int b) {
    if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
      return (char) b;
    }
    int n = 0;
    for (int x = 0; x < b; x++) {
      if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) {
        n++;
      }
    }
    return (char) (256 + n);
  }
}
