package dev.longshot.retrieval.eval;

import java.util.List;

/**
 * One evaluation question: one line of a questions file, e.g. {@code {"question": "...", "video": "lecture.mp4",
 * "start": 12.0, "end": 19.5, "keywords": ["4.2|four point two", "million"]}}.
 *
 * @param question the question text
 * @param video the video's file name at ingest or its id
 * @param startSeconds start of the moment that answers it, seconds
 * @param endSeconds end of that moment, seconds
 * @param keywords words the answer should contain (case-insensitive); {@code a|b} accepts either spelling
 */
public record EvalQuestion(String question, String video, double startSeconds, double endSeconds, List<String> keywords) {
  public EvalQuestion {
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("question is empty");
    }
    if (video == null || video.isBlank()) {
      throw new IllegalArgumentException("video is empty");
    }
    if (!(startSeconds >= 0) || !(endSeconds >= startSeconds)) {
      throw new IllegalArgumentException("invalid span " + startSeconds + ".." + endSeconds + " s");
    }
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
  }
}
