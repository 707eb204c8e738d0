package dev.longshot.timeline;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * English cardinal number words, the one list Longshot reads them from. vlm-runtime writes numbers with them as the
 * Python {@code num2words} package does (its {@code lang_EN} merge rules), which SmolVLM2's processor uses for the
 * frame count of its video intro: {@code 21 -> "twenty-one"}, {@code 101 -> "one hundred and one"},
 * {@code 1120 -> "one thousand, one hundred and twenty"}. Retrieval recognises them in transcripts, where a
 * recogniser writes "nine hundred thousand" for 900,000 ({@link #isNumberWord}).
 */
public final class EnglishNumbers {
  private static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
      "ninety"};
  private static final long[] SCALES = {1_000_000_000L, 1_000_000L, 1000L};
  private static final String[] SCALE_NAMES = {"billion", "million", "thousand"};
  /** Every word {@link #cardinal} writes, lower case: units, teens, tens, "hundred" and the scale names. */
  private static final Set<String> WORDS = Stream.of(Arrays.stream(SMALL), Arrays.stream(TENS).filter(t -> !t.isEmpty()),
      Stream.of("hundred"), Arrays.stream(SCALE_NAMES)).flatMap(s -> s).collect(Collectors.toUnmodifiableSet());

  private EnglishNumbers() {}

  /** {@code n} (0 to 999,999,999,999) in words. */
  public static String cardinal(long n) {
    if (n < 0 || n >= 1_000_000_000_000L) {
      throw new IllegalArgumentException("number out of range for words: " + n);
    }
    for (int i = 0; i < SCALES.length; i++) {
      if (n >= SCALES[i]) {
        String head = cardinal(n / SCALES[i]) + " " + SCALE_NAMES[i];
        long rest = n % SCALES[i];
        return rest == 0 ? head : head + (rest < 100 ? " and " : ", ") + cardinal(rest);
      }
    }
    if (n >= 100) {
      String head = SMALL[(int) (n / 100)] + " hundred";
      return n % 100 == 0 ? head : head + " and " + cardinal(n % 100);
    }
    if (n >= 20) {
      return TENS[(int) (n / 10)] + (n % 10 == 0 ? "" : "-" + SMALL[(int) (n % 10)]);
    }
    return SMALL[(int) n];
  }

  /** Whether {@code word} (lower case, one word: "forty", not "forty-two") is a word {@link #cardinal} writes. */
  public static boolean isNumberWord(String word) {
    return WORDS.contains(word);
  }

  /** The words {@link #isNumberWord} accepts, lower case, in no particular order (for building patterns). */
  public static Set<String> words() {
    return WORDS;
  }
}
