package dev.longshot.vlm.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into pieces before BPE with a sequence of regular expressions, each splitting the previous pieces
 * further (matches and the text between them both become pieces), as llama.cpp does per {@code tokenizer.ggml.pre}.
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

  private final List<Pattern> patterns;

  public PreTokenizer(List<String> regexes) {
    patterns = regexes.stream().map(r -> Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS)).toList();
  }

  /** The pre-tokenizer llama.cpp uses for {@code name}, or an error listing the known names. */
  public static PreTokenizer forGgufName(String name, Object source) {
    List<String> r = BY_GGUF_NAME.get(name == null ? "default" : name);
    if (r == null) {
      throw new dev.longshot.vlm.ModelFormatException(source + ": pre-tokenizer '" + name
          + "' is not supported; supported: " + BY_GGUF_NAME.keySet());
    }
    return new PreTokenizer(r);
  }

  public List<String> split(String text) {
    List<String> pieces = List.of(text);
    for (Pattern p : patterns) {
      List<String> next = new ArrayList<>();
      for (String piece : pieces) {
        Matcher m = p.matcher(piece);
        int last = 0;
        while (m.find()) {
          if (m.start() > last) {
            next.add(piece.substring(last, m.start()));
          }
          if (m.end() > m.start()) {
            next.add(m.group());
          }
          last = m.end();
        }
        if (last < piece.length()) {
          next.add(piece.substring(last));
        }
      }
      pieces = next;
    }
    return pieces;
  }
}
