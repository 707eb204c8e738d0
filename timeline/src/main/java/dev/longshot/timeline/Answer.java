package dev.longshot.timeline;

import java.util.List;
import java.util.Objects;

/**
 * An answer to a question with the evidence it rests on.
 *
 * @param text the answer, plain text (the UI escapes it)
 * @param evidence supporting moments, most relevant first; empty when nothing relevant was found
 * @param backend which answerer produced it ({@code extractive}, {@code openai}, {@code embedded})
 */
public record Answer(String text, List<Evidence> evidence, String backend) {
  public Answer {
    Objects.requireNonNull(text, "text");
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    backend = backend == null ? "" : backend;
  }
}
