package dev.longshot.ingest.ocr;

import dev.longshot.config.OcrSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one place that maps {@code ocr.backend} names to {@link TextRecognizer} implementations. {@code none} means
 * no OCR. A name without an implementation in this build fails fast, listing those that exist.
 */
public final class TextRecognizers {
  /** Backend name meaning "no OCR". */
  public static final String NONE = "none";

  private static final Map<String, Function<OcrSettings, TextRecognizer>> BACKENDS = new LinkedHashMap<>();

  static {
    BACKENDS.put("tesseract", TesseractTextRecognizer::new);
    BACKENDS.put("paddle", PaddleTextRecognizer::new);
  }

  private TextRecognizers() {}

  /** Names of the backends this build has (not counting {@code none}). */
  public static Set<String> names() {
    return Collections.unmodifiableSet(BACKENDS.keySet());
  }

  /**
   * A recognizer for {@code settings.backend()}, or empty for {@code none}.
   *
   * @throws IllegalArgumentException for a name with no implementation
   * @throws IllegalStateException when the backend's library or data cannot be loaded
   */
  public static Optional<TextRecognizer> create(OcrSettings settings) {
    String name = settings.backend();
    if (NONE.equals(name)) {
      return Optional.empty();
    }
    Function<OcrSettings, TextRecognizer> factory = BACKENDS.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("ocr.backend \"" + name + "\" is not available in this build; available: "
          + String.join(", ", BACKENDS.keySet()) + ", " + NONE);
    }
    return Optional.of(factory.apply(settings));
  }
}
