package dev.longshot.vlm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.ModelFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Special tokens written literally in text: found as the longest special at each position, in bounded work. */
class VocabularyTest {
  private static final long SEED = 20261202L;

  private static Vocabulary vocabulary(List<String> specials, List<String> normals) {
    List<String> tokens = new ArrayList<>(normals);
    tokens.addAll(specials);
    int[] types = new int[tokens.size()];
    Arrays.fill(types, Vocabulary.NORMAL);
    Arrays.fill(types, normals.size(), types.length, Vocabulary.CONTROL);
    return new Vocabulary(tokens.toArray(String[]::new), types, -1, -1, false, "model/tokenizer.json");
  }

  /** The specification: at each position the longest special that starts there, else one plain character. */
  private static List<String> reference(String text, List<String> specials) {
    List<String> sorted = new ArrayList<>(specials);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    List<String> out = new ArrayList<>();
    StringBuilder plain = new StringBuilder();
    int i = 0;
    outer:
    while (i < text.length()) {
      for (String s : sorted) {
        if (text.startsWith(s, i)) {
          if (!plain.isEmpty()) {
            out.add("plain:" + plain);
            plain.setLength(0);
          }
          out.add("special:" + s);
          i += s.length();
          continue outer;
        }
      }
      plain.append(text.charAt(i++));
    }
    if (!plain.isEmpty()) {
      out.add("plain:" + plain);
    }
    return out;
  }

  private static List<String> split(Vocabulary v, String text) {
    List<String> parts = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    v.splitSpecials(text, parts, ids);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add((ids.get(i) >= 0 ? "special:" : "plain:") + parts.get(i));
    }
    return out;
  }

  @Test
  void overlappingSpecialsSplitAsTheLongestMatchAtEachPosition() {
    Random r = new Random(SEED);
    for (int round = 0; round < 200; round++) {
      List<String> specials = new ArrayList<>();
      for (int s = 0; s < 1 + r.nextInt(8); s++) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < 1 + r.nextInt(4); c++) {
          b.append("<ab|>".charAt(r.nextInt(5)));
        }
        if (!specials.contains(b.toString())) {
          specials.add(b.toString());
        }
      }
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < r.nextInt(40); c++) {
        text.append("<ab|>x".charAt(r.nextInt(6)));
      }
      assertThat(split(vocabulary(specials, List.of("x")), text.toString()))
          .as("seed %d round %d: %s in %s", SEED, round, specials, text).isEqualTo(reference(text.toString(), specials));
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // safety net only
  void aVocabularyOfManyLongSpecialsCostsWorkPerPositionBoundedByTheLongestSpecial() {
    // 200000 control tokens "aa...ab<i>" all starting like the text: the old splitter tried every special at every
    // position (4000 positions x 200000 specials x ~100 characters compared); a model file could hang serve
    List<String> specials = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      specials.add("a".repeat(1 + i % 200) + "b" + i);
    }
    Vocabulary v = vocabulary(specials, List.of("a"));
    String text = "a".repeat(4000) + "b7";
    assertThat(split(v, text)).containsExactly("plain:" + "a".repeat(4000 - 8), "special:" + "a".repeat(8) + "b7");
  }

  @Test
  void aSpecialTokenLongerThanAnyRealOneIsRefused() {
    assertThatThrownBy(() -> vocabulary(List.of("<" + "x".repeat(Vocabulary.MAX_SPECIAL_CHARS) + ">"), List.of("x")))
        .isInstanceOf(ModelFormatException.class).hasMessage("model/tokenizer.json: special token 1 has "
            + (Vocabulary.MAX_SPECIAL_CHARS + 2) + " characters; at most " + Vocabulary.MAX_SPECIAL_CHARS
            + " are supported");
  }
}
