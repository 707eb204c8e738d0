package dev.longshot.capabilities;

/**
 * A text-only completion by the configured model backend (an OpenAI-compatible server or the embedded runtime),
 * used by retrieval's {@code ModelQueryDecomposer}. (The embedded runtime's own generator is {@code dev.longshot.vlm.TextGenerator};
 * this is the capability retrieval needs from any backend.) May throw a runtime exception when the backend fails.
 */
@FunctionalInterface
public interface TextCompletion {
  /** The model's reply to {@code prompt}. */
  String generate(String prompt);
}
