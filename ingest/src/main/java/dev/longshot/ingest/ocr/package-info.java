/**
 * On-screen text: the {@link dev.longshot.ingest.ocr.TextRecognizer} capability, its backends and the one registry
 * of {@code ocr.backend} names. Tesseract (tess4j over Debian's libtesseract, the default) reads keyframes in
 * grayscale, upscaled and re-read when text is small; PP-OCRv4 ({@link dev.longshot.ingest.ocr.PaddleTextRecognizer},
 * ONNX Runtime and OpenCV) reads colour frames as they are and is the one for scene text. {@link
 * dev.longshot.ingest.ocr.OcrSpanMerger} drops noise and merges text that persists across keyframes into one span.
 */
package dev.longshot.ingest.ocr;
