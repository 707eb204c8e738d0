/**
 * Speech recognition: the {@link dev.longshot.ingest.asr.SpeechRecognizer} capability and its backends. A
 * recogniser receives the audio track as a stream of 16 kHz mono PCM chunks while the video decodes, so memory
 * stays flat for a 3-hour file, and returns transcript {@link dev.longshot.timeline.Segment}s with word times.
 */
package dev.longshot.ingest.asr;
