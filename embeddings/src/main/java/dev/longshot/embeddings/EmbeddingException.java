package dev.longshot.embeddings;

/** A model that cannot be loaded or run; the message names the file or input, the cause is kept. */
public class EmbeddingException extends RuntimeException {
  public EmbeddingException(String message) {
    super(message);
  }

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }
}
