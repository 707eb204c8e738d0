package dev.longshot.config;

import java.time.Duration;

/**
 * Answer generation (section {@code answer}).
 *
 * @param backend who writes the answer (see {@link AnswerBackend})
 * @param baseUrl base URL of the OpenAI-compatible server, e.g. {@code http://localhost:8000/v1}
 * @param model model name sent to that server
 * @param apiKey bearer token for that server; usually set through {@code LONGSHOT_ANSWER_API_KEY}
 * @param timeout per-request timeout, e.g. {@code 60s}
 * @param retries retries after a failed request (connection errors and 5xx only)
 * @param maxKeyframes keyframes sent to a vision-language model per question
 */
public record AnswerSettings(
    AnswerBackend backend, String baseUrl, String model, String apiKey, Duration timeout, int retries, int maxKeyframes) {
  public AnswerSettings {
    Check.present("answer.backend", backend, AnswerBackend.class);
    if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMinutes() > 30) {
      throw new ConfigException("answer.timeout", timeout, "allowed is a duration from 1s to 30m, e.g. 60s");
    }
    Check.range("answer.retries", retries, 0, 10);
    Check.range("answer.max-keyframes", maxKeyframes, 0, 64);
    if (backend == AnswerBackend.OPENAI) {
      Check.notBlank("answer.base-url", baseUrl);
      Check.notBlank("answer.model", model);
    }
  }
}
