package dev.longshot.retrieval.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a window document's text into parts for late interaction (issue 20): parts of {@code words} words, one
 * starting every {@code words / 2} words, the last one ending with the text, so every word is read in two parts
 * at different offsets (as the embedder's parallel windows do with tokens) and a fact cut by one part's edge is
 * whole in its neighbour. Words are whitespace-separated; a text of at most {@code words} words is one part. The
 * split lives here, not in the embedder, so every {@code TextEmbedder} gets it through {@code embedPassages}.
 */
public final class WindowParts {
  private final int words;

  /** @param words words per part, >= 2 */
  public WindowParts(int words) {
    if (words < 2) {
      throw new IllegalArgumentException("window parts need >= 2 words, got " + words);
    }
    this.words = words;
  }

  public List<String> split(String text) {
    List<String> w = Arrays.asList(text.strip().split("\\s+"));
    if (w.size() <= words) {
      return List.of(text.strip());
    }
    int stride = words / 2;
    List<String> out = new ArrayList<>();
    for (int start = 0; ; start += stride) {
      int end = Math.min(w.size(), start + words);
      out.add(String.join(" ", w.subList(end - words, end)));
      if (end == w.size()) {
        return out;
      }
    }
  }
}
