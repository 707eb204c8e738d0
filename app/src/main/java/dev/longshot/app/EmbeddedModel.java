package dev.longshot.app;

import dev.longshot.config.ConfigException;
import dev.longshot.config.VlmSettings;
import dev.longshot.retrieval.answer.VisionLanguageGenerator;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.sample.GenerationSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Connects the in-process vlm-runtime to retrieval's answerer seam ({@code answer.backend: embedded}). The runtime
 * is text-only until its vision encoder lands, so keyframe images are not shown to the model: it answers from the
 * retrieved speech, on-screen text and object text in the prompt. Greedy decoding, {@code vlm.max-tokens} at most.
 */
final class EmbeddedModel implements VisionLanguageGenerator, AutoCloseable {
  private final TextGenerator generator;
  private final int maxTokens;

  private EmbeddedModel(TextGenerator generator, int maxTokens) {
    this.generator = generator;
    this.maxTokens = maxTokens;
  }

  static EmbeddedModel load(VlmSettings settings) {
    if (settings.model() == null) {
      throw new ConfigException("vlm.model", null, "a GGUF file or safetensors directory is required when answer.backend is embedded");
    }
    try {
      return new EmbeddedModel(TextGenerator.load(settings.model(), settings), settings.maxTokens());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load vlm.model " + settings.model() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String generate(String prompt, List<Path> images, Consumer<String> tokenSink) {
    return generator.generate(List.of(ChatMessage.user(prompt)), GenerationSettings.greedy(maxTokens), tokenSink);
  }

  @Override
  public void close() {
    generator.close();
  }
}
