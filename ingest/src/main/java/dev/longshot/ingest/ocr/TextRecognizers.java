package dev.longshot.ingest.ocr;

import dev.longshot.config.OcrSettings;
import java.util.Optional;

/**
 * The one place that maps {@code ocr.backend} ({@link dev.longshot.config.OcrBackend}) to a {@link TextRecognizer}
 * implementation; {@code none} means no OCR. The caller closes the returned recogniser.
 */
public final class TextRecognizers {
  private TextRecognizers() {}

  /**
   * A recognizer for {@code settings.backend()}, or empty for {@code none}.
   *
   * @throws IllegalStateException when the backend's library or data cannot be loaded
   */
  public static Optional<TextRecognizer> create(OcrSettings settings) {
    return switch (settings.backend()) {
      case TESSERACT -> Optional.of(new TesseractTextRecognizer(settings));
      case PADDLE -> Optional.of(new PaddleTextRecognizer(settings));
      case NONE -> Optional.empty();
    };
  }
}
