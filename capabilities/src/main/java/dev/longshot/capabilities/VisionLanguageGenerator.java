package dev.longshot.capabilities;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The seam for the embedded vlm-runtime: the app module implements it on top of {@code dev.longshot.vlm} and
 * passes it to retrieval's {@code Answerers.create(AnswerSettings, KeyframeResolver, VisionLanguageGenerator)}.
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

  /**
   * A keyframe file, the video time it shows (milliseconds) and the video it comes from (null when unknown), so a
   * model that reads videos (SmolVLM2) can be told the video's length.
   */
  record Frame(Path file, long timestampMillis, String videoId) {
    public Frame(Path file, long timestampMillis) {
      this(file, timestampMillis, null);
    }
  }

  /**
   * Generates a reply to the Video-RAG answer prompt with timed keyframes, so a vision-language model can label each
   * frame with its time (SmolVLM2's {@code Frame from mm:ss:}). The default ignores the times.
   *
   * @param prompt the user prompt text (retrieved texts and the question); the frames go before it
   * @param frames keyframes in chronological order (may be empty)
   * @param tokenSink receives generated text pieces as they are produced
   * @return the whole reply
   */
  default String generateFromFrames(String prompt, List<Frame> frames, Consumer<String> tokenSink) {
    return generate(prompt, frames.stream().map(Frame::file).toList(), tokenSink);
  }
}
