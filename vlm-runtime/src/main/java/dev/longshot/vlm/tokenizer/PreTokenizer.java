package dev.longshot.vlm.tokenizer;

import dev.longshot.vlm.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into pieces before BPE with a sequence of regular expressions, each splitting the previous pieces
 * further (matches and the text between them both become pieces), as llama.cpp does per {@code tokenizer.ggml.pre}.
 *
 * <p>The expressions may come from a model's tokenizer.json, and java.util.regex backtracks: a hostile pattern such as
 * {@code (a+)+\1$} needs exponential time on a plain text, and one that repeats a group ({@code (?:a|b)*}) recurses
 * once per character. So every match runs on a {@link BoundedText} that counts the characters the engine reads and
 * gives up past {@link #STEPS_PER_CHAR} per character of the piece (the known pre-tokenizers read fewer than
 * {@value #KNOWN_PATTERNS_MAX_STEPS_PER_CHAR}), and a stack overflow inside the engine is caught; either is a
 * {@link ModelFormatException} naming the source and the pattern. The engine's work is bounded by what it reads only
 * for the shapes {@link RegexShape} accepts (all published pre-tokenizers); another regex is refused when loaded.
 * Thread-safe (no mutable state).
 */
public final class PreTokenizer {
  static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
  static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** GGUF {@code tokenizer.ggml.pre} names we know, and their regex sequences. */
  static final Map<String, List<String>> BY_GGUF_NAME = Map.of(
      "default", List.of(GPT2),
      "gpt2", List.of(GPT2),
      "llama-bpe", List.of(LLAMA3),
      "llama3", List.of(LLAMA3),
      "smollm", List.of("\\p{N}", GPT2),
      "qwen2", List.of(QWEN2),
      "deepseek-r1-qwen", List.of(QWEN2));

  /** Most characters the known patterns above read per character of input (measured by PreTokenizerTest). */
  static final int KNOWN_PATTERNS_MAX_STEPS_PER_CHAR = 64;
  /** Characters one pattern may read per character of a piece (plus one) before it counts as backtracking. */
  static final long STEPS_PER_CHAR = 64L * KNOWN_PATTERNS_MAX_STEPS_PER_CHAR;

  private final List<Pattern> patterns;
  private final Object source;

  /** {@code source} names where the expressions come from (a file), for errors. */
  public PreTokenizer(List<String> regexes, Object source) {
    this.source = source;
    patterns = regexes.stream().map(r -> Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS)).toList();
    for (String r : regexes) {
      String refusal = RegexShape.refusal(r);
      if (refusal != null) {
        throw new ModelFormatException(source + ": pre_tokenizer regex '" + r + "' is not supported: it has "
            + refusal + " (work the tokenizer cannot bound); use the model's published tokenizer.json");
      }
    }
  }

  /** The pre-tokenizer llama.cpp uses for {@code name}, or an error listing the known names. */
  public static PreTokenizer forGgufName(String name, Object source) {
    List<String> r = BY_GGUF_NAME.get(name == null ? "default" : name);
    if (r == null) {
      throw new ModelFormatException(source + ": pre-tokenizer '" + name
          + "' is not supported; supported: " + BY_GGUF_NAME.keySet());
    }
    return new PreTokenizer(r, source);
  }

  public List<String> split(String text) {
    List<String> pieces = List.of(text);
    for (Pattern p : patterns) {
      List<String> next = new ArrayList<>();
      for (String piece : pieces) {
        split(p, piece, next);
      }
      pieces = next;
    }
    return pieces;
  }

  private void split(Pattern p, String piece, List<String> next) {
    BoundedText text = new BoundedText(piece, STEPS_PER_CHAR * (piece.length() + 1));
    try {
      Matcher m = p.matcher(text);
      int last = 0;
      while (m.find()) {
        if (m.start() > last) {
          next.add(piece.substring(last, m.start()));
        }
        if (m.end() > m.start()) {
          next.add(piece.substring(m.start(), m.end()));
        }
        last = m.end();
      }
      if (last < piece.length()) {
        next.add(piece.substring(last));
      }
    } catch (BoundedText.TooMuchWork e) {
      throw new ModelFormatException(source + ": pre_tokenizer regex '" + p.pattern() + "' read more than "
          + text.budget() + " characters matching a " + piece.length() + "-character text (it backtracks); "
          + "use the model's published tokenizer.json");
    } catch (StackOverflowError e) {
      throw new ModelFormatException(source + ": pre_tokenizer regex '" + p.pattern() + "' recursed too deeply "
          + "matching a " + piece.length() + "-character text (a repeated group); use the model's published "
          + "tokenizer.json");
    }
  }
}
