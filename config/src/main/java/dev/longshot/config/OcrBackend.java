package dev.longshot.config;

/** The on-screen text recogniser ({@code ocr.backend}). */
public enum OcrBackend implements ConfigChoice {
  /** Tesseract 5 (default): slides and screen text. */
  TESSERACT,
  /** PP-OCRv4 on ONNX Runtime: scene text on photos, coloured, rotated. */
  PADDLE,
  /** No OCR. */
  NONE;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
