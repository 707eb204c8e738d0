package dev.longshot.config;

/**
 * Error text made safe to print: every user-facing exception message in Longshot is one printable line of bounded
 * length, even when it quotes a key, name or value read from a hostile file (which may hold newlines, terminal
 * escapes, or run to megabytes). Control and line-separator characters are escaped ({@code \n}, {@code \u001b}); an
 * overlong text keeps its head (usually the file) and its tail (usually the fault). Stateless.
 */
public final class OneLine {
  /** The longest message; far above any real one (a path, a key or tensor name, two shapes). */
  public static final int MAX_CHARS = 1000;

  private OneLine() {}

  /** {@code text} as one printable line of at most {@link #MAX_CHARS} characters; {@code null} stays null. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), 2 * MAX_CHARS) + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (b.length() <= MAX_CHARS) {
      return b.toString();
    }
    int head = MAX_CHARS * 3 / 5;
    int tail = MAX_CHARS / 3;
    return b.substring(0, head) + " [... " + (b.length() - head - tail) + " characters left out ...] "
        + b.substring(b.length() - tail);
  }
}
