package dev.longshot.vlm.tokenizer;

/**
 * A string that counts the characters read from it and throws {@link TooMuchWork} once the count passes a budget.
 * java.util.regex reads its input only through {@link CharSequence#charAt}, so the count is the matcher's work, and
 * a budget proportional to the text's length bounds a backtracking pattern to linear time. Not thread-safe: one
 * matcher at a time.
 */
final class BoundedText implements CharSequence {
  /** Thrown when the budget is spent; carries no stack trace (it is control flow, caught by the caller). */
  static final class TooMuchWork extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooMuchWork() {
      super("work budget spent", null, false, false);
    }
  }

  private final String text;
  private final long budget;
  private long reads;

  BoundedText(String text, long budget) {
    this.text = text;
    this.budget = budget;
  }

  long budget() {
    return budget;
  }

  /** Characters read so far. */
  long reads() {
    return reads;
  }

  @Override
  public char charAt(int index) {
    if (++reads > budget) {
      throw new TooMuchWork();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.substring(start, end);
  }

  @Override
  public String toString() {
    return text;
  }
}
