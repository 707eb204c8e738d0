package dev.longshot.ingest.ocr;

import dev.longshot.config.OcrBackend;
import dev.longshot.config.OcrSettings;

/** The default OCR backend against the {@link TextRecognizer} contract (Debian's Tesseract 5 and English data). */
class TesseractTextRecognizerTest extends TextRecognizerContractTest {
  @Override
  TextRecognizer create() {
    return new TesseractTextRecognizer(new OcrSettings(OcrBackend.TESSERACT, null, "eng", 60));
  }
}
