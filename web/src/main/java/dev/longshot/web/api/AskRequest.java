package dev.longshot.web.api;

import java.util.List;

/**
 * A question.
 *
 * @param question plain text, 1 to {@link dev.longshot.retrieval.QuestionAnswering#MAX_QUESTION_CHARS} characters, no
 *     HTML
 * @param videoIds videos to search; null or empty means all videos
 */
public record AskRequest(String question, List<String> videoIds) {}
