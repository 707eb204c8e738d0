package dev.longshot.retrieval.answer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The seam for the embedded vlm-runtime: the app module implements it on top of {@code dev.longshot.vlm} and
 * passes it to {@link Answerers#create(dev.longshot.config.AnswerSettings, KeyframeResolver, VisionLanguageGenerator)}.
 */
@FunctionalInterface
public interface VisionLanguageGenerator {
  /**
   * Generates a reply.
   *
   * @param prompt the full text prompt
   * @param images keyframe JPEGs to show the model, in chronological order (may be empty)
   * @param tokenSink receives generated text pieces as they are produced
   * @return the whole reply
   */
  String generate(String prompt, List<Path> images, Consumer<String> tokenSink);
}
