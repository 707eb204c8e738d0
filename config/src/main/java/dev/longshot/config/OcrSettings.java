package dev.longshot.config;

import java.nio.file.Path;

/**
 * On-screen text recognition (section {@code ocr}).
 *
 * @param backend which recogniser reads the frames (see {@link OcrBackend})
 * @param tessdataDir Tesseract's language data directory; {@code null} uses the system default
 * @param language Tesseract language code(s), e.g. {@code eng} or {@code eng+deu}
 * @param minConfidence words below this confidence (0..100) are dropped as noise
 * @param paddleModelDir directory holding the PP-OCRv4 ONNX models and {@code ppocr_keys_v1.txt}; {@code null}
 *     uses {@code ppocr-v4/} under {@code $LONGSHOT_MODELS_DIR} (default {@code ~/.cache/longshot/models}), where
 *     {@code setup/fetch-models.sh} puts them. Only read when backend is paddle
 */
public record OcrSettings(
    OcrBackend backend, Path tessdataDir, String language, double minConfidence, Path paddleModelDir) {
  public OcrSettings {
    Check.present("ocr.backend", backend, OcrBackend.class);
    language = Check.notBlank("ocr.language", language);
    Check.range("ocr.min-confidence", minConfidence, 0.0, 100.0);
  }

  /** Settings with the default PP-OCR model directory (for callers that do not use the paddle backend). */
  public OcrSettings(OcrBackend backend, Path tessdataDir, String language, double minConfidence) {
    this(backend, tessdataDir, language, minConfidence, null);
  }
}
