package dev.longshot.app;

import dev.longshot.capabilities.VisionLanguageGenerator;
import dev.longshot.config.ConfigException;
import dev.longshot.config.VlmSettings;
import dev.longshot.retrieval.answer.VideoRagPrompt;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.chat.ChatMessage;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.sample.GenerationSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Connects the in-process vlm-runtime to retrieval's answerer seam ({@code answer.backend: embedded}). A SmolVLM /
 * SmolVLM2 model ({@code vlm.model}: a Hugging Face directory with a {@code vision_config}, or a GGUF with its
 * {@code mmproj*.gguf} beside it) sees the keyframes: each, labelled with its time, goes ahead of the retrieved texts
 * and the question ({@link SmolVlm#answerPrompt}), and frames the context cannot hold are dropped with a logged
 * note. A text-only model answers from the texts alone. Greedy decoding, {@code vlm.max-tokens} at most.
 */
final class EmbeddedModel implements VisionLanguageGenerator, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EmbeddedModel.class.getName());
  private final TextGenerator text;
  private final SmolVlm vision;
  private final int maxTokens;

  private EmbeddedModel(TextGenerator text, SmolVlm vision, int maxTokens) {
    this.text = text;
    this.vision = vision;
    this.maxTokens = maxTokens;
  }

  static EmbeddedModel load(VlmSettings settings) {
    if (settings.model() == null) {
      throw new ConfigException("vlm.model", null, "a GGUF file or safetensors directory is required when answer.backend is embedded");
    }
    try {
      if (SmolVlm.isVisionLanguage(settings.model())) {
        SmolVlm m = SmolVlm.load(settings.model(), settings);
        LOG.log(System.Logger.Level.INFO, "vlm.model " + settings.model() + ": vision-language model, keyframes are shown to it");
        return new EmbeddedModel(m.textGenerator(), m, settings.maxTokens());
      }
      LOG.log(System.Logger.Level.INFO, "vlm.model " + settings.model() + ": text-only model, keyframes are not shown to it");
      return new EmbeddedModel(TextGenerator.load(settings.model(), settings), null, settings.maxTokens());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load vlm.model " + settings.model() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String generate(String prompt, List<Path> images, Consumer<String> tokenSink) {
    return generateFromFrames(prompt, images.stream().map(p -> new Frame(p, -1)).toList(), tokenSink);
  }

  @Override
  public String generateFromFrames(String prompt, List<Frame> frames, Consumer<String> tokenSink) {
    GenerationSettings greedy = GenerationSettings.greedy(maxTokens);
    if (vision == null) {
      return text.generate(List.of(ChatMessage.user(prompt)), greedy, tokenSink);
    }
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    for (Frame f : frames) {
      try {
        pictures.add(SmolVlmProcessor.Picture.frame(RgbImage.read(f.file()), f.timestampMillis()));
      } catch (IOException | IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "keyframe left out of the answer prompt: " + e.getMessage());
      }
    }
    MultimodalPrompt p = vision.answerPrompt(frames.isEmpty() ? null : VideoRagPrompt.SYSTEM, prompt, pictures,
        maxTokens);
    return vision.generate(p, greedy, tokenSink, null);
  }

  @Override
  public void close() {
    text.close();
  }
}
