package dev.longshot.web.api;

import dev.longshot.retrieval.answer.AnswerException;
import dev.longshot.web.guard.RequestGuard;
import dev.longshot.web.jobs.ErrorText;
import dev.longshot.web.jobs.QueueFullException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where errors become RFC 9457 problem details ({@code application/problem+json}). Spring's own
 * exceptions (bad JSON, unknown route, wrong method) keep the base class's mapping; ours carry their status.
 * Unexpected exceptions are logged and answered with a 500 that leaks no internals.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
  /** A problem of type {@code about:blank}: the title is the status phrase, the detail says what to do. */
  static ProblemDetail problem(HttpStatusCode status, String detail) {
    return ProblemDetail.forStatusAndDetail(status, detail);
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return ResponseEntity.status(e.status()).body(problem(e.status(), e.getMessage()));
  }

  @ExceptionHandler(QueueFullException.class)
  ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "30")
        .body(problem(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
  }

  /** A JSON body cut off at the guard's limit ({@link RequestGuard#MAX_JSON_BODY_BYTES}) is 413, other bad JSON 400. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    Optional<String> tooLarge = RequestGuard.bodyTooLarge(ex);
    if (tooLarge.isPresent()) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.get()));
    }
    return super.handleHttpMessageNotReadable(ex, headers, status, request);
  }

  /**
   * The configured model server failed or cannot be reached: its message already names the backend, the endpoint
   * and what to check, so the user sees it (server paths removed) instead of a pointer to the log.
   */
  static ProblemDetail answerBackendFailed(AnswerException e) {
    LOG.warn("Answer backend failed: {}", e.getMessage());
    return problem(HttpStatus.BAD_GATEWAY, "The answer backend failed: " + ErrorText.withoutPaths(e.getMessage(), null)
        + " (answer.backend: extractive answers without a model server)");
  }

  @ExceptionHandler(AnswerException.class)
  ResponseEntity<ProblemDetail> answerBackend(AnswerException e) {
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(answerBackendFailed(e));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    LOG.error("Unexpected error", e);
    return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
        "Something went wrong on the server (" + e.getClass().getSimpleName() + "); the server log has the details"));
  }
}
