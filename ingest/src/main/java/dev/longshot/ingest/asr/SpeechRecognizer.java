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

  /**
   * What, besides the {@code asr} config section, shapes this backend's words (search settings, how audio is cut):
   * it enters the settings fingerprint of the records this backend transcribed, and only theirs, so changing it
   * redoes exactly those. Empty adds nothing to the fingerprint.
   */
  default String outputSettings() {
    return "";
  }

  /** Starts transcribing one audio track from time 0. */
  Transcription begin();

  @Override
  void close();
}
