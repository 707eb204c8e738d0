package dev.longshot.vlm.tokenizer;

import dev.longshot.vlm.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token strings with their llama.cpp token types (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
 * 6 byte) and the special ids; finds special tokens written literally in text. The search costs, per position of
 * the text, at most one hash lookup per distinct special length (each at most {@link #MAX_SPECIAL_CHARS}), and
 * none where no special starts with that character, however many specials a (hostile) model file declares.
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
  /** Longest control or user-defined token accepted (real ones are under 40: {@code <|reserved_special_token_250|>}). */
  static final int MAX_SPECIAL_CHARS = 256;

  /** Special token spelling to id. */
  private final Map<String, Integer> specials = new HashMap<>();
  /** The distinct lengths of the specials, longest first. */
  private final int[] specialLengths;
  /** Characters a special starts with. */
  private final Set<Character> specialStarts = new HashSet<>();

  /** {@code source} names the model file, for errors. */
  Vocabulary(String[] tokens, int[] types, int bos, int eos, boolean addBos, Object source) {
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
    Set<Integer> lengths = new HashSet<>();
    for (int i = 0; i < tokens.length; i++) {
      boolean special = types[i] == CONTROL || types[i] == USER_DEFINED;
      if (special && !tokens[i].isEmpty()) {
        if (tokens[i].length() > MAX_SPECIAL_CHARS) {
          throw new ModelFormatException(source + ": special token " + i + " has " + tokens[i].length()
              + " characters; at most " + MAX_SPECIAL_CHARS + " are supported");
        }
        specials.putIfAbsent(tokens[i], ids.get(tokens[i]));
        lengths.add(tokens[i].length());
        specialStarts.add(tokens[i].charAt(0));
      }
      if (types[i] == CONTROL && END_MARKERS.contains(tokens[i])) {
        stops.add(i);
      }
    }
    this.specialLengths = lengths.stream().sorted(Comparator.reverseOrder()).mapToInt(Integer::intValue).toArray();
    this.stopIds = Set.copyOf(stops);
  }

  /** Splits {@code text} into plain runs and special tokens; specials come back as their id, plain runs as -1. */
  void splitSpecials(String text, List<String> parts, List<Integer> specialIds) {
    int start = 0;
    int i = 0;
    outer:
    while (i < text.length()) {
      if (specialStarts.contains(text.charAt(i))) {
        for (int length : specialLengths) {
          Integer id = i + length <= text.length() ? specials.get(text.substring(i, i + length)) : null;
          if (id != null) {
            if (i > start) {
              parts.add(text.substring(start, i));
              specialIds.add(-1);
            }
            parts.add(text.substring(i, i + length));
            specialIds.add(id);
            i += length;
            start = i;
            continue outer;
          }
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
