package dev.longshot.vlm;

import dev.longshot.config.OneLine;

/**
 * A model file or directory that cannot be used: truncated, corrupt, of an unknown architecture or tensor type, or
 * with a tokenizer that does not match the model. The message names the file and what is missing or wrong, and is
 * always one printable line ({@link OneLine}): names and keys quoted from a hostile file may hold any bytes.
 */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(OneLine.of(message));
  }

  public ModelFormatException(String message, Throwable cause) {
    super(OneLine.of(message), cause);
  }
}
