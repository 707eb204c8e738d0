/**
 * On-screen text: the {@link dev.longshot.ingest.ocr.TextRecognizer} capability, its Tesseract backend (tess4j
 * over Debian's libtesseract) and the one registry of {@code ocr.backend} names. Keyframes are read in grayscale,
 * upscaled and re-read when text is small, and {@link dev.longshot.ingest.ocr.OcrSpanMerger} drops noise and
 * merges text that persists across keyframes into one span.
 */
package dev.longshot.ingest.ocr;
