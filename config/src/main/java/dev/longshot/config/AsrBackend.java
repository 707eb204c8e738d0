package dev.longshot.config;

/** The speech recogniser ({@code asr.backend}); subtitles always win over it. */
public enum AsrBackend implements ConfigChoice {
  /** PocketSphinx with Debian's US-English model (default). */
  POCKETSPHINX,
  /** whisper.cpp; needs {@code asr.whisper-model}. */
  WHISPER,
  /** No speech recognition. */
  NONE;

  /** The config name, so that records print as they did when the setting was a string. */
  @Override
  public String toString() {
    return configName();
  }
}
