/**
 * Turns a video file into an ingest record: {@link dev.longshot.ingest.IngestPipeline} probes the file, decodes
 * it once (frames to sampling, keyframes, OCR and detection on one worker; audio to ASR on another), prefers
 * subtitles over ASR, and commits segments plus manifest atomically through the timeline's record store. Errors
 * are {@link dev.longshot.ingest.IngestException}s with a kind the web layer maps to HTTP status. Backends sit
 * behind the capability interfaces in the {@code asr}, {@code ocr} and {@code detect} packages.
 */
package dev.longshot.ingest;
