package dev.longshot.vlm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token strings with their llama.cpp token types (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
 * 6 byte) and the special ids; finds special tokens written literally in text.
 */
final class Vocabulary {
  static final int NORMAL = 1;
  static final int CONTROL = 3;
  static final int USER_DEFINED = 4;
  static final int BYTE = 6;
  /** End-of-generation spellings llama.cpp also treats as stop tokens. */
  private static final Set<String> END_MARKERS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
      "<|endoftext|>", "<|end_of_text|>", "<|eom_id|>", "<end_of_utterance>");

  final String[] tokens;
  final int[] types;
  final Map<String, Integer> ids;
  final int bos;
  final boolean addBos;
  final Set<Integer> stopIds;
  private final List<String> specials;

  Vocabulary(String[] tokens, int[] types, int bos, int eos, boolean addBos) {
    this.tokens = tokens;
    this.types = types;
    this.ids = new HashMap<>(tokens.length * 2);
    for (int i = 0; i < tokens.length; i++) {
      ids.putIfAbsent(tokens[i], i);
    }
    this.bos = bos;
    this.addBos = addBos && bos >= 0;
    Set<Integer> stops = new HashSet<>();
    if (eos >= 0) {
      stops.add(eos);
    }
    List<String> sp = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      boolean special = types[i] == CONTROL || types[i] == USER_DEFINED;
      if (special && !tokens[i].isEmpty()) {
        sp.add(tokens[i]);
      }
      if (types[i] == CONTROL && END_MARKERS.contains(tokens[i])) {
        stops.add(i);
      }
    }
    sp.sort(Comparator.comparingInt(String::length).reversed());
    this.specials = sp;
    this.stopIds = Set.copyOf(stops);
  }

  /** Splits {@code text} into plain runs and special tokens; specials come back as their id, plain runs as -1. */
  void splitSpecials(String text, List<String> parts, List<Integer> specialIds) {
    int start = 0;
    int i = 0;
    outer:
    while (i < text.length()) {
      for (String s : specials) {
        if (text.startsWith(s, i)) {
          if (i > start) {
            parts.add(text.substring(start, i));
            specialIds.add(-1);
          }
          parts.add(s);
          specialIds.add(ids.get(s));
          i += s.length();
          start = i;
          continue outer;
        }
      }
      i++;
    }
    if (start < text.length()) {
      parts.add(text.substring(start));
      specialIds.add(-1);
    }
  }

  boolean isControl(int id) {
    return types[id] == CONTROL;
  }

  byte[] utf8(int id) {
    return tokens[id].getBytes(StandardCharsets.UTF_8);
  }
}
