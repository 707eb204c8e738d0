package dev.longshot.vlm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The work bound on pre-tokenizer regexes: the known patterns stay far below it on texts chosen to make them
 * backtrack, so no real model is refused, and a hostile pattern stops at it.
 */
class PreTokenizerTest {
  private static final long SEED = 20261202L;

  /** Texts that exercise the known patterns' slow paths: long runs of one class, classes alternating, newlines. */
  private static List<String> awkwardTexts() {
    List<String> texts = new ArrayList<>(List.of(" ".repeat(5000) + "x", " ".repeat(5000), "\n".repeat(3000) + " a",
        " \r\n".repeat(2000), "1".repeat(5000), "!".repeat(5000) + "\n\n\n", "a".repeat(5000), "'s".repeat(2000),
        "'".repeat(4000) + "x", "日本語".repeat(1000), "🎉".repeat(2000), " 1 a ! \n".repeat(800), "x\t".repeat(3000)));
    Random r = new Random(SEED);
    String alphabet = " \t\r\n'sSt1234567890aZé日🎉!?.,-_\u00a0\u2003";
    for (int i = 0; i < 20; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < 3000; j++) {
        b.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0,
            alphabet.length())))));
      }
      texts.add(b.toString());
    }
    return texts;
  }

  @Test
  void theKnownPatternsReadFewCharactersPerCharacterOnAwkwardTexts() {
    for (List<String> regexes : PreTokenizer.BY_GGUF_NAME.values()) {
      for (String regex : regexes) {
        Pattern p = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        for (String t : awkwardTexts()) {
          BoundedText text = new BoundedText(t, Long.MAX_VALUE);
          Matcher m = p.matcher(text);
          while (m.find()) {
            // all matches, as PreTokenizer.split does
          }
          assertThat(text.reads()).as("seed %d, %s on %s...", SEED, regex, t.substring(0, 20))
              .isLessThan((long) PreTokenizer.KNOWN_PATTERNS_MAX_STEPS_PER_CHAR * (t.length() + 1));
        }
      }
    }
  }

  @Test
  void aBacktrackingPatternStopsAtTheBudgetWithTheSourceAndThePattern() {
    // eight greedy runs in a row try every way of cutting 200 a's into eight (about 10^11) before the b fails
    PreTokenizer pre = new PreTokenizer(List.of("a*".repeat(8) + "b"), "model/tokenizer.json");
    String t = "a".repeat(200) + "!";
    assertThatThrownBy(() -> pre.split(t)).isInstanceOf(ModelFormatException.class)
        .hasMessage("model/tokenizer.json: pre_tokenizer regex '" + "a*".repeat(8) + "b' read more than "
            + PreTokenizer.STEPS_PER_CHAR * 202 + " characters matching a 201-character text (it backtracks); "
            + "use the model's published tokenizer.json");
    // the budget is the counter's: the engine got exactly that many reads, not 2^200
    BoundedText text = new BoundedText(t, 1000);
    assertThatThrownBy(() -> Pattern.compile("(a+)+\\1$").matcher(text).find())
        .isInstanceOf(BoundedText.TooMuchWork.class);
    assertThat(text.reads()).isEqualTo(1001);
  }

  /**
   * java.util.regex also works without reading: 40 empty choices before \z try 2^40 ways at every position and the
   * counter never moves (the old code hung on it at the first prompt: 0 characters read after 3 s). The same rule
   * (no quantifier inside a group, no back-reference) refuses the other two, which the counter also stops.
   */
  @Test
  void aPatternWhoseWorkTheCounterCannotSeeIsRefusedWhenLoaded() {
    for (String regex : List.of("(?:|)".repeat(40) + "\\z", "(?:a?|b?)".repeat(40) + "c", "(a+)+\\1$")) {
      assertThatThrownBy(() -> new PreTokenizer(List.of(regex), "model/tokenizer.json"))
          .isInstanceOf(ModelFormatException.class).hasMessageStartingWith("model/tokenizer.json: pre_tokenizer regex '"
              + regex + "' is not supported: it has ");
    }
  }

  /** The published pre-tokenizers: the built-in ones, GPT-4o's (o200k) and DeepSeek's. */
  @Test
  void thePublishedPatternsHaveTheShapeTheCounterBounds() {
    List<String> published = new ArrayList<>();
    PreTokenizer.BY_GGUF_NAME.values().forEach(published::addAll);
    published.add("[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
        + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
        + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
        + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
    published.add("\\p{N}{1,3}");
    published.add("[一-龥\u3040-ゟ゠-ヿ]+");
    published.add("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
        + "| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
    published.add("\\s?[!-/:-~！-／：-～‘-‟　-。]+");
    published.add("\\s+$");
    for (String regex : published) {
      assertThat(new PreTokenizer(List.of(regex), "t").split("Hello world, 123 they're 日本 ok!\n\n  x"))
          .as(regex).isNotEmpty();
    }
  }

  @Test
  void theBoundChangesNoPiecesOfTheKnownPatterns() {
    String t = "Hello world, 123 + 4567 = ?\nNext\n\n  line they're";
    assertThat(new PreTokenizer(List.of(PreTokenizer.GPT2), "t").split(t)).containsExactly("Hello", " world", ",",
        " 123", " +", " 4567", " =", " ?", "\n", "Next", "\n\n ", " line", " they", "'re");
  }
}
