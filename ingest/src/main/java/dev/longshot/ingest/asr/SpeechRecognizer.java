package dev.longshot.ingest.asr;

/**
 * A speech-to-text backend (PocketSphinx, whisper.cpp, ...). Loads its model once; {@link #begin()} starts an
 * independent transcription of one audio track. Thread-safety: one {@link Transcription} per thread; the
 * recogniser itself may be shared. The caller closes the recogniser.
 */
public interface SpeechRecognizer extends AutoCloseable {
  /** Sample rate of the PCM this backend expects, in Hz (16,000 for PocketSphinx and whisper). */
  int SAMPLE_RATE_HZ = 16_000;

  /** Backend name as in config and in the manifest's {@code transcriptSource}, e.g. {@code pocketsphinx}. */
  String name();

  /** Starts transcribing one audio track from time 0. */
  Transcription begin();

  @Override
  void close();
}
