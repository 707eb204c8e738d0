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
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

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
  private final ToLongFunction<String> videoDurationMillis;

  private EmbeddedModel(TextGenerator text, SmolVlm vision, int maxTokens, ToLongFunction<String> videoDurationMillis) {
    this.text = text;
    this.vision = vision;
    this.maxTokens = maxTokens;
    this.videoDurationMillis = videoDurationMillis;
  }

  /** Loads {@code vlm.model}; no video durations are known (SmolVLM2 gets per-frame labels only). */
  static EmbeddedModel load(VlmSettings settings) {
    return load(settings, videoId -> -1);
  }

  /**
   * Loads {@code vlm.model}; {@code videoDurationMillis} gives a video's length by id (-1 when unknown), so SmolVLM2
   * sees the keyframes of one video as its processor writes a video ("... N frames from a H:MM:SS [H:MM:SS] video.").
   */
  static EmbeddedModel load(VlmSettings settings, ToLongFunction<String> videoDurationMillis) {
    if (settings.model() == null) {
      throw new ConfigException("vlm.model", null, "a GGUF file or safetensors directory is required when answer.backend is embedded");
    }
    try {
      if (SmolVlm.isVisionLanguage(settings.model())) {
        SmolVlm m = SmolVlm.load(settings.model(), settings);
        LOG.log(System.Logger.Level.INFO, "vlm.model " + settings.model() + ": vision-language model, keyframes are shown to it");
        return new EmbeddedModel(m.textGenerator(), m, settings.maxTokens(), videoDurationMillis);
      }
      LOG.log(System.Logger.Level.INFO, "vlm.model " + settings.model() + ": text-only model, keyframes are not shown to it");
      return new EmbeddedModel(TextGenerator.load(settings.model(), settings), null, settings.maxTokens(),
          videoDurationMillis);
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
    return vision.generate(answerPrompt(prompt, frames), greedy, tokenSink, null);
  }

  /** The vision-language answer prompt for {@code frames} (unreadable ones left out with a warning). */
  MultimodalPrompt answerPrompt(String prompt, List<Frame> frames) {
    List<SmolVlmProcessor.Picture> pictures = new ArrayList<>();
    List<Frame> read = new ArrayList<>();
    for (Frame f : frames) {
      try {
        pictures.add(SmolVlmProcessor.Picture.frame(RgbImage.read(f.file()), f.timestampMillis()));
        read.add(f);
      } catch (IOException | IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "keyframe left out of the answer prompt: " + e.getMessage());
      }
    }
    return vision.answerPrompt(frames.isEmpty() ? null : VideoRagPrompt.SYSTEM, prompt, pictures, maxTokens,
        duration(read));
  }

  /** The model's tokenizer. */
  Tokenizer tokenizer() {
    return text.tokenizer();
  }

  /** The length of the one video all frames come from, or -1 (several videos, or unknown). */
  private long duration(List<Frame> frames) {
    List<String> ids = frames.stream().map(Frame::videoId).distinct().toList();
    return ids.size() == 1 && ids.get(0) != null ? videoDurationMillis.applyAsLong(ids.get(0)) : -1;
  }

  @Override
  public void close() {
    text.close();
  }
}
