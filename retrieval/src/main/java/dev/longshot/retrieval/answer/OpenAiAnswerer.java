package dev.longshot.retrieval.answer;

import dev.longshot.config.AnswerBackend;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Answers with a vision-language model behind an OpenAI-compatible server: the selected keyframes go as images,
 * the evidence texts in {@link VideoRagPrompt}'s layout. Thread-safe.
 */
public final class OpenAiAnswerer implements Answerer {
  private final OpenAiChatClient client;
  private final KeyframeResolver keyframes;
  private final int maxKeyframes;

  public OpenAiAnswerer(OpenAiChatClient client, KeyframeResolver keyframes, int maxKeyframes) {
    this.client = client;
    this.keyframes = keyframes;
    this.maxKeyframes = maxKeyframes;
  }

  @Override
  public String name() {
    return AnswerBackend.OPENAI.configName();
  }

  @Override
  public Answer answer(String question, List<Evidence> evidence, Consumer<String> tokenSink) {
    FramesAndPrompt p = FramesAndPrompt.of(question, evidence, keyframes, maxKeyframes);
    String text = client.complete(p.prompt(), p.images(), tokenSink);
    return new Answer(text.strip(), evidence, name());
  }

  /** The resolved keyframe files and the prompt that labels them. */
  record FramesAndPrompt(List<Path> images, List<Long> timestampsMillis, List<String> videoIds, String prompt) {
    static FramesAndPrompt of(String question, List<Evidence> evidence, KeyframeResolver resolver, int max) {
      List<Evidence> withFiles = VideoRagPrompt.keyframes(evidence, Integer.MAX_VALUE).stream()
          .filter(e -> resolver.resolve(e.videoId(), e.keyframe()).isPresent()).toList();
      List<Evidence> frames = VideoRagPrompt.keyframes(withFiles, max);
      List<Path> images = frames.stream().map(e -> resolver.resolve(e.videoId(), e.keyframe()))
          .flatMap(Optional::stream).toList();
      List<Long> times = frames.stream().map(Evidence::startMillis).toList();
      return new FramesAndPrompt(images, times, frames.stream().map(Evidence::videoId).toList(),
          VideoRagPrompt.text(question, evidence, frames));
    }
  }
}
