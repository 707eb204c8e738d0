package dev.longshot.retrieval.answer;

import dev.longshot.config.AnswerBackend;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The default backend, no model: states the best evidence with timestamps, e.g. {@code At 01:23 the slide reads
 * "..."; at 01:31 the speaker says "..."}, and says plainly when nothing relevant was found. Emits the whole text
 * to the token sink once. Stateless and thread-safe.
 */
public final class ExtractiveAnswerer implements Answerer {
  /** The answer when no evidence passed the thresholds. */
  public static final String NOTHING_FOUND = "I found nothing in the indexed videos that answers this question.";
  static final int MAX_ITEMS = 3;
  static final int MAX_QUOTE_CHARS = 240;

  @Override
  public String name() {
    return AnswerBackend.EXTRACTIVE.configName();
  }

  @Override
  public Answer answer(String question, List<Evidence> evidence, Consumer<String> tokenSink) {
    String text = evidence.isEmpty() ? NOTHING_FOUND : describe(evidence.subList(0, Math.min(MAX_ITEMS, evidence.size())));
    tokenSink.accept(text);
    return new Answer(text, evidence, name());
  }

  private static String describe(List<Evidence> best) {
    List<String> clauses = new ArrayList<>();
    for (Evidence e : best) {
      clauses.add("at " + Timestamps.format(e.startMillis()) + " " + statement(e));
    }
    String joined = String.join("; ", clauses) + ".";
    return Character.toUpperCase(joined.charAt(0)) + joined.substring(1);
  }

  private static String statement(Evidence e) {
    String quote = quote(e.text());
    return switch (e.modality()) {
      case OCR -> "the slide reads " + quote;
      case ASR -> "the speaker says " + quote;
      case SUBTITLE -> "the subtitles read " + quote;
      case DET -> "the frame shows " + quote;
    };
  }

  static String quote(String text) {
    String t = text.strip().replaceAll("\\s+", " ").replace('"', '\'');
    if (t.length() > MAX_QUOTE_CHARS) {
      int cut = t.lastIndexOf(' ', MAX_QUOTE_CHARS);
      t = t.substring(0, cut > MAX_QUOTE_CHARS / 2 ? cut : MAX_QUOTE_CHARS) + " …";
    }
    return "\"" + t + "\"";
  }
}
