package dev.longshot.ingest.ocr;

import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;

/**
 * The PP-OCRv4 backend against the {@link TextRecognizer} contract (models from {@code setup/fetch-models.sh}; its
 * scene-text behaviour is in {@link PaddleTextRecognizerTest}).
 */
class PaddleTextRecognizerContractTest extends TextRecognizerContractTest {
  @Override
  TextRecognizer create() {
    return new PaddleTextRecognizer(new OcrSettings(OcrBackend.PADDLE, null, "eng", 60, null));
  }
}
