/**
 * Speech recognition: the {@link dev.longshot.ingest.asr.SpeechRecognizer} capability and its backends, chosen by
 * {@link dev.longshot.ingest.asr.SpeechRecognizers#create}: PocketSphinx (default; Debian's library through JNA,
 * word times) and whisper.cpp (whisper-jni, needs a ggml model). A recogniser receives the audio track as a stream
 * of 16 kHz mono PCM chunks while the video decodes, cuts it at pauses ({@code UtteranceSplitter}), decodes the
 * utterances on up to {@code asr.decoders} decoders at once with a bounded queue and in stream order ({@code
 * OrderedParallelDecoder}), so memory stays flat for a 3-hour file, and returns transcript
 * {@link dev.longshot.timeline.Segment}s of about {@code asr.chunk-seconds} ({@code TranscriptChunker}).
 */
package dev.longshot.ingest.asr;
