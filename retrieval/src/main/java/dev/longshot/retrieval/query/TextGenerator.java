package dev.longshot.retrieval.query;

/**
 * A text-only completion by the configured model backend (an OpenAI-compatible server or the embedded runtime),
 * used by {@link ModelQueryDecomposer}. May throw a runtime exception when the backend fails.
 */
@FunctionalInterface
public interface TextGenerator {
  /** The model's reply to {@code prompt}. */
  String generate(String prompt);
}
