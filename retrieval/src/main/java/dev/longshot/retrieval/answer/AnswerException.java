package dev.longshot.retrieval.answer;

/** A model backend could not produce an answer; the message names the backend, the endpoint and the reason. */
public final class AnswerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnswerException(String message, Throwable cause) {
    super(message, cause);
  }
}
