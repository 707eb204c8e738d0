package dev.longshot.web.api;

import java.util.List;

/**
 * An answer with its evidence.
 *
 * @param question the question as asked
 * @param answer the answer text (plain text; clients must escape it)
 * @param backend which answerer produced it
 * @param evidence supporting moments, most relevant first
 * @param elapsedMillis server time spent answering, milliseconds
 */
public record AnswerDto(String question, String answer, String backend, List<EvidenceDto> evidence, long elapsedMillis) {}
