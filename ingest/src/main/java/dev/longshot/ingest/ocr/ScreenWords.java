package dev.longshot.ingest.ocr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The content words of one keyframe's OCR text, compared so that OCR noise is absorbed but every real change of
 * wording is seen (issue 14: templated slides that differ in one word must not merge). Normalisation: lower case,
 * punctuation dropped, and the confusions Tesseract makes between look-alike glyphs folded ({@code 0}/{@code o},
 * {@code 1}/{@code l}/{@code i}/{@code |}, {@code rn}/{@code m}); tokens with no digit and fewer than two letters
 * (stray marks, "a", "I") are not content words. Two word lists say the same thing when they have the same length
 * and each pair of words is equal after normalisation or, for words of at least {@link #FUZZY_MIN_LENGTH} letters
 * and no digits, one letter dropped or doubled ("milion" for "million"). A substituted letter ("billion" for
 * "million") or any other digit is a different word: an extra span costs little, a merged slide loses its text.
 */
public final class ScreenWords {
  /** Letter-only words at least this long may differ by one edit and still be the same word. */
  static final int FUZZY_MIN_LENGTH = 6;

  private ScreenWords() {}

  /**
   * One content word.
   *
   * @param key the folded form compared between keyframes
   * @param numeric whether the word as read holds a digit (then only an exact match is the same word)
   */
  public record Word(String key, boolean numeric) {}

  /** The normalised content words of {@code text}, in reading order. */
  public static List<Word> of(String text) {
    List<Word> out = new ArrayList<>();
    for (String token : text.toLowerCase(Locale.ROOT).split("\\s+")) {
      boolean numeric = token.chars().anyMatch(Character::isDigit);
      String key = fold(token);
      long letters = token.chars().filter(Character::isLetter).count();
      if (!key.isEmpty() && (numeric || letters >= 2)) {
        out.add(new Word(key, numeric));
      }
    }
    return out;
  }

  /** Whether {@code a} and {@code b} (from {@link #of}) are the same words up to OCR noise. */
  public static boolean same(List<Word> a, List<Word> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!sameWord(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean sameWord(Word x, Word y) {
    String a = x.key();
    String b = y.key();
    if (a.equals(b)) {
      return true;
    }
    if (x.numeric() || y.numeric() || Math.max(a.length(), b.length()) < FUZZY_MIN_LENGTH
        || Math.abs(a.length() - b.length()) != 1) {
      return false;
    }
    String longer = a.length() > b.length() ? a : b;
    String shorter = longer == a ? b : a;
    int i = 0;
    while (i < shorter.length() && shorter.charAt(i) == longer.charAt(i)) {
      i++;
    }
    return longer.regionMatches(i + 1, shorter, i, shorter.length() - i);
  }

  /** Letters and digits only, look-alike glyphs folded to one letter. */
  static String fold(String token) {
    StringBuilder sb = new StringBuilder(token.length());
    token.codePoints().forEach(c -> {
      switch (c) {
        case '0' -> sb.append('o');
        case '1', '|', '!', 'i' -> sb.append('l');
        default -> {
          if (Character.isLetterOrDigit(c)) {
            sb.appendCodePoint(c);
          }
        }
      }
    });
    return sb.toString().replace("rn", "m");
  }
}
