package dev.longshot.ingest.asr;

import dev.longshot.config.AsrSettings;
import java.util.Optional;

/**
 * The one place that maps {@code asr.backend} to a {@link SpeechRecognizer}: {@code pocketsphinx} (default, works
 * out of the box on Debian), {@code whisper} (needs {@code asr.whisper-model}) or {@code none}. The caller closes
 * the returned recogniser.
 */
public final class SpeechRecognizers {
  private SpeechRecognizers() {}

  /**
   * The configured recogniser, or empty for backend {@code none}.
   *
   * @throws IllegalArgumentException for a missing or unreadable model
   * @throws IllegalStateException when the backend's native library cannot load
   */
  public static Optional<SpeechRecognizer> create(AsrSettings settings) {
    return switch (settings.backend()) {
      case POCKETSPHINX -> Optional.of(new PocketSphinxSpeechRecognizer(settings));
      case WHISPER -> Optional.of(new WhisperSpeechRecognizer(settings));
      case NONE -> Optional.empty();
    };
  }
}
