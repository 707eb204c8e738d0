package dev.longshot.web.api;

import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served, with its status and a detail the user can act on (naming the bad value).
 * {@link ProblemDetailsAdvice} turns it into an RFC 9457 problem.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final HttpStatus status;

  public ApiException(HttpStatus status, String detail) {
    super(detail);
    this.status = status;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, detail);
  }

  public HttpStatus status() {
    return status;
  }
}
