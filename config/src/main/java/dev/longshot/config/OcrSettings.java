package dev.longshot.config;

import java.nio.file.Path;

/**
 * On-screen text recognition (section {@code ocr}).
 *
 * @param backend {@code tesseract} (default), {@code paddle} (PP-OCRv4 scene-text models on ONNX Runtime) or
 *     {@code none}
 * @param tessdataDir Tesseract's language data directory; {@code null} uses the system default
 * @param language Tesseract language code(s), e.g. {@code eng} or {@code eng+deu}
 * @param minConfidence words below this confidence (0..100) are dropped as noise
 * @param paddleModelDir directory holding the PP-OCRv4 ONNX models and {@code ppocr_keys_v1.txt}; {@code null}
 *     uses {@code ppocr-v4/} under {@code $LONGSHOT_MODELS_DIR} (default {@code ~/.cache/longshot/models}), where
 *     {@code setup/fetch-models.sh} puts them. Only read when backend is paddle
 */
public record OcrSettings(
    String backend, Path tessdataDir, String language, double minConfidence, Path paddleModelDir) {
  public OcrSettings {
    backend = Check.oneOf("ocr.backend", backend, "tesseract", "paddle", "none");
    language = Check.notBlank("ocr.language", language);
    Check.range("ocr.min-confidence", minConfidence, 0.0, 100.0);
  }

  /** Settings with the default PP-OCR model directory (for callers that do not use the paddle backend). */
  public OcrSettings(String backend, Path tessdataDir, String language, double minConfidence) {
    this(backend, tessdataDir, language, minConfidence, null);
  }
}
