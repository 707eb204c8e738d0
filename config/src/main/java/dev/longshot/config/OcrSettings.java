package dev.longshot.config;

import java.nio.file.Path;

/**
 * On-screen text recognition (section {@code ocr}).
 *
 * @param backend {@code tesseract} (default) or {@code none}
 * @param tessdataDir Tesseract's language data directory; {@code null} uses the system default
 * @param language Tesseract language code(s), e.g. {@code eng} or {@code eng+deu}
 * @param minConfidence words below this confidence (0..100) are dropped as noise
 */
public record OcrSettings(
    String backend, Path tessdataDir, String language, double minConfidence) {
  public OcrSettings {
    backend = Check.oneOf("ocr.backend", backend, "tesseract", "none");
    language = Check.notBlank("ocr.language", language);
    Check.range("ocr.min-confidence", minConfidence, 0.0, 100.0);
  }
}
