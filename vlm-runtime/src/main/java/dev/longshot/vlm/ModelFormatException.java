package dev.longshot.vlm;

/**
 * A model file or directory that cannot be used: truncated, corrupt, of an unknown architecture or tensor type, or
 * with a tokenizer that does not match the model. The message names the file and what is missing or wrong.
 */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
