package dev.longshot.retrieval.answer;

import dev.longshot.capabilities.VisionLanguageGenerator;
import dev.longshot.config.AnswerBackend;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers with the in-process vlm-runtime through {@link VisionLanguageGenerator}, with the same prompt and
 * keyframe selection as {@link OpenAiAnswerer}; the keyframes go with their times
 * ({@link VisionLanguageGenerator#generateFromFrames}). Thread-safety is the generator's.
 */
public final class EmbeddedAnswerer implements Answerer {
  private final VisionLanguageGenerator model;
  private final KeyframeResolver keyframes;
  private final int maxKeyframes;

  public EmbeddedAnswerer(VisionLanguageGenerator model, KeyframeResolver keyframes, int maxKeyframes) {
    this.model = model;
    this.keyframes = keyframes;
    this.maxKeyframes = maxKeyframes;
  }

  @Override
  public String name() {
    return AnswerBackend.EMBEDDED.configName();
  }

  @Override
  public Answer answer(String question, List<Evidence> evidence, Consumer<String> tokenSink) {
    OpenAiAnswerer.FramesAndPrompt p = OpenAiAnswerer.FramesAndPrompt.of(question, evidence, keyframes, maxKeyframes);
    try {
      List<VisionLanguageGenerator.Frame> frames = new java.util.ArrayList<>();
      for (int i = 0; i < p.images().size(); i++) {
        frames.add(new VisionLanguageGenerator.Frame(p.images().get(i), p.timestampsMillis().get(i),
            p.videoIds().get(i)));
      }
      String text = model.generateFromFrames(p.prompt(), frames, tokenSink);
      return new Answer(text.strip(), evidence, name());
    } catch (RuntimeException e) {
      if (e instanceof AnswerException ae) {
        throw ae;
      }
      throw new AnswerException("answer.backend=embedded: the model failed: " + e.getMessage(), e);
    }
  }
}
