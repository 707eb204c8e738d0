package dev.longshot.vlm.multimodal;

/**
 * English cardinal numbers as the Python {@code num2words} package writes them (its {@code lang_EN} merge rules),
 * which SmolVLM2's processor uses for the frame count of its video intro: {@code 21 -> "twenty-one"},
 * {@code 101 -> "one hundred and one"}, {@code 1120 -> "one thousand, one hundred and twenty"}.
 */
final class EnglishNumbers {
  private static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
      "ninety"};
  private static final long[] SCALES = {1_000_000_000L, 1_000_000L, 1000L};
  private static final String[] SCALE_NAMES = {"billion", "million", "thousand"};

  private EnglishNumbers() {}

  /** {@code n} (0 to 999,999,999,999) in words. */
  static String cardinal(long n) {
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
}
