package dev.longshot.retrieval.answer;

import dev.longshot.capabilities.TextCompletion;
import dev.longshot.capabilities.VisionLanguageGenerator;
import dev.longshot.config.AnswerSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The one place an answer backend is chosen by its {@code answer.backend} name. */
public final class Answerers {
  static final String EMBEDDED_NOT_WIRED = "answer.backend=embedded needs a model in vlm.model";

  private Answerers() {}

  /** The configured backend; {@code embedded} fails here, use the overload that takes the runtime. */
  public static Answerer create(AnswerSettings settings, KeyframeResolver keyframes) {
    return create(settings, keyframes, null);
  }

  /**
   * The configured backend.
   *
   * @param embedded the vlm-runtime seam, or null when no model is loaded ({@code embedded} then fails with
   *     "answer.backend=embedded needs a model in vlm.model" instead of silently answering another way)
   */
  public static Answerer create(AnswerSettings settings, KeyframeResolver keyframes, VisionLanguageGenerator embedded) {
    return create(settings, keyframes, embedded, VideoNames.none());
  }

  /** As {@link #create(AnswerSettings, KeyframeResolver, VisionLanguageGenerator)}; the extractive answer cites
   * moments in several videos by the names {@code videoNames} knows. */
  public static Answerer create(AnswerSettings settings, KeyframeResolver keyframes, VisionLanguageGenerator embedded,
      VideoNames videoNames) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(keyframes, "keyframes");
    return switch (settings.backend()) {
      case EXTRACTIVE -> new ExtractiveAnswerer(videoNames);
      case OPENAI -> new OpenAiAnswerer(new OpenAiChatClient(settings), keyframes, settings.maxKeyframes());
      case EMBEDDED -> new EmbeddedAnswerer(requireEmbedded(embedded), keyframes, settings.maxKeyframes());
    };
  }

  /** The configured backend as a text-only model for query decomposition; empty for {@code extractive}. */
  public static Optional<TextCompletion> textCompletion(AnswerSettings settings, VisionLanguageGenerator embedded) {
    return switch (settings.backend()) {
      case OPENAI -> Optional.of(new OpenAiChatClient(settings));
      case EMBEDDED -> {
        VisionLanguageGenerator model = requireEmbedded(embedded);
        yield Optional.of(prompt -> model.generate(prompt, List.of(), piece -> { }));
      }
      case EXTRACTIVE -> Optional.empty();
    };
  }

  private static VisionLanguageGenerator requireEmbedded(VisionLanguageGenerator embedded) {
    if (embedded == null) {
      throw new IllegalStateException(EMBEDDED_NOT_WIRED);
    }
    return embedded;
  }
}
