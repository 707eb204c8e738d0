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
    PreTokenizer pre = new PreTokenizer(List.of("(a+)+\\1$"), "model/tokenizer.json");
    String t = "a".repeat(200) + "!";
    assertThatThrownBy(() -> pre.split(t)).isInstanceOf(ModelFormatException.class)
        .hasMessage("model/tokenizer.json: pre_tokenizer regex '(a+)+\\1$' read more than "
            + PreTokenizer.STEPS_PER_CHAR * 202 + " characters matching a 201-character text (it backtracks); "
            + "use the model's published tokenizer.json");
    // the budget is the counter's: the engine got exactly that many reads, not 2^200
    BoundedText text = new BoundedText(t, 1000);
    assertThatThrownBy(() -> Pattern.compile("(a+)+\\1$").matcher(text).find())
        .isInstanceOf(BoundedText.TooMuchWork.class);
    assertThat(text.reads()).isEqualTo(1001);
  }

  @Test
  void theBoundChangesNoPiecesOfTheKnownPatterns() {
    String t = "Hello world, 123 + 4567 = ?\nNext\n\n  line they're";
    assertThat(new PreTokenizer(List.of(PreTokenizer.GPT2), "t").split(t)).containsExactly("Hello", " world", ",",
        " 123", " +", " 4567", " =", " ?", "\n", "Next", "\n\n ", " line", " they", "'re");
  }
}
