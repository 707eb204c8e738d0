package dev.longshot.retrieval.answer;

import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers a question from retrieved evidence. Implementations are thread-safe; the returned {@link Answer}'s
 * evidence is the list passed in (most relevant first), so the UI can link every claim to a moment.
 */
public interface Answerer {
  /** Backend name, as in {@code answer.backend}. */
  String name();

  /**
   * @param question the user's question
   * @param evidence accepted evidence, most relevant first; may be empty (then the answer says nothing was found)
   * @param tokenSink receives the answer text as it is produced (pieces concatenate to the answer's text)
   * @throws AnswerException when a model backend fails (unreachable, timed out, bad reply)
   */
  Answer answer(String question, List<Evidence> evidence, Consumer<String> tokenSink);
}
