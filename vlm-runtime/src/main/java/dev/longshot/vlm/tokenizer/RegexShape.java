package dev.longshot.vlm.tokenizer;

/**
 * Which pre-tokenizer regexes {@link BoundedText} can bound. It counts the characters java.util.regex reads, but
 * the engine also works without reading: where a group can match the empty text in two ways ({@code (?:|)},
 * {@code (?:\z|)}), forty such groups in a row try 2^40 ways at a position, reading nothing, and a
 * back-reference compares what a group held. So a regex is accepted only when its groups are plain lists of
 * alternatives, each at least one character long with no quantifier, anchor or group inside ({@code (?i:'s|'t)},
 * {@code (?!\S)}), and it has no back-reference; outside groups anything goes. Then every empty match has one way,
 * and the engine's work is bounded by the regex's length times the characters it reads. The pre-tokenizers of
 * GPT-2, Llama 3, Qwen2, SmolLM, DeepSeek and GPT-4o all have this shape.
 */
final class RegexShape {
  private RegexShape() {}

  /** Why {@code regex} (which compiles) is refused, or null when it has the shape above. */
  static String refusal(String regex) {
    int depth = 0;
    boolean alternativeReads = false; // the current alternative of the innermost group reads a character
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          char e = i + 1 < regex.length() ? regex.charAt(i + 1) : 0;
          if ((e >= '1' && e <= '9') || e == 'k') {
            return "a back-reference";
          }
          if (depth > 0 && "bBAzZG".indexOf(e) >= 0) {
            return "an anchor inside a group";
          }
          int end = escapeEnd(regex, i);
          alternativeReads |= escapeReads(regex, i, end);
          i = end;
        }
        case '[' -> {
          i = classEnd(regex, i + 1);
          alternativeReads = true;
        }
        case '(' -> {
          if (regex.startsWith("(?", i) && flags(regex, i + 2).indexOf('x') >= 0) {
            return "comments mode (?x)";
          }
          if (regex.startsWith("(?", i) && regex.startsWith(")", i + 2 + flags(regex, i + 2).length())) {
            i += 3 + flags(regex, i + 2).length(); // (?i): no group
            continue;
          }
          if (depth > 0) {
            return "a group inside a group";
          }
          depth++;
          alternativeReads = false;
          i = groupBodyStart(regex, i);
        }
        case '|' -> {
          if (depth > 0 && !alternativeReads) {
            return "an empty alternative in a group";
          }
          alternativeReads = false;
          i++;
        }
        case ')' -> {
          if (depth == 0) {
            return "a group this check cannot follow";
          }
          if (!alternativeReads) {
            return "an empty alternative in a group";
          }
          depth--;
          i++;
        }
        case '?', '*', '+', '{' -> {
          if (depth > 0) {
            return "a quantifier inside a group";
          }
          i = c == '{' ? past(regex, '}', i) : i + 1;
        }
        case '^', '$' -> {
          if (depth > 0) {
            return "an anchor inside a group";
          }
          i++;
        }
        default -> {
          alternativeReads = true;
          i++;
        }
      }
    }
    return depth == 0 ? null : "a group this check cannot follow";
  }

  /** The inline flags at {@code i} (after "(?"): {@code i} of {@code (?i)} or {@code (?i:}, empty for {@code (?=}. */
  private static String flags(String regex, int i) {
    int j = i;
    while (j < regex.length() && "idmsuxcU-".indexOf(regex.charAt(j)) >= 0) {
      j++;
    }
    return regex.substring(i, j);
  }

  /** Where the body of the group opening at {@code i} starts: after "(", "(?:", "(?i:", "(?=", "(?<!", "(?<name>". */
  private static int groupBodyStart(String regex, int i) {
    if (!regex.startsWith("(?", i)) {
      return i + 1;
    }
    int j = i + 2;
    if (j >= regex.length()) {
      return regex.length();
    }
    if (regex.startsWith("<=", j) || regex.startsWith("<!", j)) {
      return j + 2;
    }
    if (regex.charAt(j) == '<') {
      return past(regex, '>', j);
    }
    if ("=!>".indexOf(regex.charAt(j)) >= 0) {
      return j + 1;
    }
    return past(regex, ':', j); // (?flags:
  }

  /** Whether the escape from {@code i} to {@code end} reads a character: not an anchor, not an empty quote. */
  private static boolean escapeReads(String regex, int i, int end) {
    if (i + 1 >= regex.length()) {
      return false;
    }
    char e = regex.charAt(i + 1);
    if (e == 'Q') {
      boolean closed = end - 2 >= i + 2 && regex.startsWith("\\E", end - 2);
      return end - (i + 2) - (closed ? 2 : 0) > 0;
    }
    return "bBAzZGE".indexOf(e) < 0;
  }

  /** The index after the escape starting with the backslash at {@code i}. */
  private static int escapeEnd(String regex, int i) {
    if (i + 1 >= regex.length()) {
      return regex.length();
    }
    char e = regex.charAt(i + 1);
    int next = i + 2;
    if ("pPxNb".indexOf(e) >= 0 && next < regex.length() && regex.charAt(next) == '{') {
      return past(regex, '}', next);
    }
    return switch (e) {
      case 'p', 'P' -> next + 1; // \pL
      case 'x' -> next + 2;
      case 'u' -> next + 4;
      case 'c' -> next + 1;
      case 'Q' -> {
        int end = regex.indexOf("\\E", next);
        yield end < 0 ? regex.length() : end + 2;
      }
      case '0' -> {
        int j = next;
        while (j < regex.length() && j < next + 3 && regex.charAt(j) >= '0' && regex.charAt(j) <= '7') {
          j++;
        }
        yield j;
      }
      default -> next;
    };
  }

  /** The index after the first {@code c} from {@code from}, or the end (the regex compiled, so it is there). */
  private static int past(String regex, char c, int from) {
    int k = regex.indexOf(c, from);
    return k < 0 ? regex.length() : k + 1;
  }

  /** The index after the character class whose body starts at {@code i} (after its '['); classes nest. */
  private static int classEnd(String regex, int i) {
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    boolean first = true; // a ']' first in a class is the character itself
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i = escapeEnd(regex, i);
      } else if (c == '[') {
        i = classEnd(regex, i + 1);
      } else if (c == ']' && !first) {
        return i + 1;
      } else {
        i++;
      }
      first = false;
    }
    return i;
  }
}
