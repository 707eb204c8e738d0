package dev.longshot.embeddings;

import dev.longshot.config.OneLine;

/**
 * A model that cannot be loaded or run; the message names the file or input, the cause is kept. The message is one
 * printable line ({@link OneLine}), whatever a native library or a hostile file put in it.
 */
public class EmbeddingException extends RuntimeException {
  public EmbeddingException(String message) {
    super(OneLine.of(message));
  }

  public EmbeddingException(String message, Throwable cause) {
    super(OneLine.of(message), cause);
  }
}
