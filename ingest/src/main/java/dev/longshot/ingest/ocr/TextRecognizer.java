package dev.longshot.ingest.ocr;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Reads the text in one image (an on-screen text backend: Tesseract by default). Implementations load their
 * model at construction and are closed by the caller; {@link #recognize} is called from one thread at a time.
 * Backends are created by name through {@link TextRecognizers}.
 */
public interface TextRecognizer extends AutoCloseable {
  /** Backend name as in config ({@code ocr.backend}). */
  String name();

  /**
   * The lines of text in {@code image}, top to bottom, with every word's box (normalised to {@code image}) and
   * confidence, unfiltered: the caller drops low-confidence noise.
   */
  List<TextLine> recognize(BufferedImage image);

  /**
   * Whether this backend takes frames as they are (colour, any size) and scales them itself. {@link
   * OcrPreprocessor#read} then hands the frame over untouched instead of converting it to grayscale and re-reading
   * small text upscaled, which is tuned for Tesseract.
   */
  default boolean readsFramesAsTheyAre() {
    return false;
  }

  @Override
  void close();
}
