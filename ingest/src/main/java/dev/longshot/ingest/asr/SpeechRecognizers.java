package dev.longshot.ingest.asr;

import dev.longshot.config.AsrSettings;
import java.util.List;
import java.util.Optional;

/**
 * The one place that maps {@code asr.backend} to a {@link SpeechRecognizer}: {@code pocketsphinx} (default, works
 * out of the box on Debian), {@code whisper} (needs {@code asr.whisper-model}) or {@code none}. The caller closes
 * the returned recogniser.
 */
public final class SpeechRecognizers {
  /** Backend names this build knows. */
  public static final List<String> BACKENDS = List.of("pocketsphinx", "whisper", "none");

  private SpeechRecognizers() {}

  /**
   * The configured recogniser, or empty for backend {@code none}.
   *
   * @throws IllegalArgumentException for an unknown backend (the message lists the known ones) or a missing model
   * @throws IllegalStateException when the backend's native library cannot load
   */
  public static Optional<SpeechRecognizer> create(AsrSettings settings) {
    return switch (settings.backend()) {
      case "pocketsphinx" -> Optional.of(new PocketSphinxSpeechRecognizer(settings));
      case "whisper" -> Optional.of(new WhisperSpeechRecognizer(settings));
      case "none" -> Optional.empty();
      default -> throw new IllegalArgumentException(
          "Unknown asr.backend \"" + settings.backend() + "\"; known: " + BACKENDS);
    };
  }
}
