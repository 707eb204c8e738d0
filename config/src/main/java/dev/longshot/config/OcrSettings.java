package dev.longshot.config;

import java.nio.file.Path;

/**
 * On-screen text recognition (section {@code ocr}).
 *
 * @param backend {@code tesseract} (default), {@code ppocr} (PP-OCRv4 on ONNX Runtime, for scene text) or
 *     {@code none}
 * @param tessdataDir Tesseract's language data directory; {@code null} uses the system default
 * @param language Tesseract language code(s), e.g. {@code eng} or {@code eng+deu}
 * @param minConfidence words below this confidence (0..100) are dropped as noise
 * @param ppocrModelDir directory holding the PP-OCR detection/recognition ONNX files and character list
 */
public record OcrSettings(
    String backend, Path tessdataDir, String language, double minConfidence, Path ppocrModelDir) {
  public OcrSettings {
    backend = Check.oneOf("ocr.backend", backend, "tesseract", "ppocr", "none");
    language = Check.notBlank("ocr.language", language);
    Check.range("ocr.min-confidence", minConfidence, 0.0, 100.0);
  }
}
