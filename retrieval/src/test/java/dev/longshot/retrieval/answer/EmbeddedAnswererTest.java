package dev.longshot.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.capabilities.VisionLanguageGenerator;
import dev.longshot.config.AnswerBackend;
import dev.longshot.config.AnswerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded backend's wiring. STAND-IN: the vlm-runtime is not wired into retrieval yet (the app module does
 * that), so the generator here is a lambda that records its input and streams a fixed reply in two pieces.
 */
class EmbeddedAnswererTest extends AnswererContract {
  @TempDir Path tmp;
  final List<String> prompts = new ArrayList<>();
  final List<List<Path>> images = new ArrayList<>();

  @Override
  Answerer answerer() {
    VisionLanguageGenerator fake = (prompt, imgs, sink) -> {
      prompts.add(prompt);
      images.add(imgs);
      sink.accept("The budget is ");
      sink.accept("4.2 million euros (01:23).");
      return "The budget is 4.2 million euros (01:23).";
    };
    KeyframeResolver frames = (v, k) -> Optional.of(tmp.resolve(k));
    return Answerers.create(settings(AnswerBackend.EMBEDDED), frames, fake);
  }

  @Test
  void sendsTheVideoRagPromptAndTheKeyframes() {
    answerer().answer("What is the budget?", EVIDENCE, t -> { });
    assertThat(prompts.getFirst()).contains("Video OCR information").endsWith("Question: What is the budget?");
    assertThat(images.getFirst()).containsExactly(tmp.resolve("000083000.jpg"), tmp.resolve("000091000.jpg"));
  }

  @Test
  void aVisionLanguageModelGetsEachKeyframeWithItsTime() {
    List<VisionLanguageGenerator.Frame> seen = new ArrayList<>();
    VisionLanguageGenerator timed = new VisionLanguageGenerator() {
      @Override
      public String generate(String prompt, List<Path> imgs, java.util.function.Consumer<String> sink) {
        throw new AssertionError("the timed entry point is used");
      }

      @Override
      public String generateFromFrames(String prompt, List<Frame> frames, java.util.function.Consumer<String> sink) {
        seen.addAll(frames);
        return "ok";
      }
    };
    Answerers.create(settings(AnswerBackend.EMBEDDED), (v, k) -> Optional.of(tmp.resolve(k)), timed)
        .answer("What is the budget?", EVIDENCE, t -> { });
    // with the video each comes from, so a video model can be told that video's length
    String video = EVIDENCE.get(0).videoId();
    assertThat(seen).containsExactly(new VisionLanguageGenerator.Frame(tmp.resolve("000083000.jpg"), 83_000, video),
        new VisionLanguageGenerator.Frame(tmp.resolve("000091000.jpg"), 91_000, video));
  }

  @Test
  void withoutAModelItFailsClearlyInsteadOfFallingBack() {
    assertThatThrownBy(() -> Answerers.create(settings(AnswerBackend.EMBEDDED), KeyframeResolver.none()))
        .hasMessage("answer.backend=embedded needs a model in vlm.model");
  }

  @Test
  void modelFailuresBecomeAnswerExceptions() {
    Answerer broken = Answerers.create(settings(AnswerBackend.EMBEDDED), KeyframeResolver.none(), (p, i, s) -> {
      throw new IllegalStateException("out of memory");
    });
    assertThatThrownBy(() -> broken.answer("q", EVIDENCE, t -> { }))
        .isInstanceOf(AnswerException.class).hasMessageContaining("embedded").hasMessageContaining("out of memory");
  }

  static AnswerSettings settings(AnswerBackend backend) {
    return new AnswerSettings(backend, null, null, null, Duration.ofSeconds(5), 0, 8);
  }

  @Test
  void keyframeFilesAreOnlyThoseThatExist() throws Exception {
    Files.createFile(tmp.resolve("000091000.jpg"));
    KeyframeResolver onDisk = (v, k) -> Files.exists(tmp.resolve(k)) ? Optional.of(tmp.resolve(k)) : Optional.empty();
    Answerers.create(settings(AnswerBackend.EMBEDDED), onDisk, (p, i, s) -> {
      images.add(i);
      prompts.add(p);
      return "x";
    }).answer("q", EVIDENCE, t -> { });
    assertThat(images.getFirst()).containsExactly(tmp.resolve("000091000.jpg"));
    assertThat(prompts.getFirst()).contains("Frame 1 at 01:31");
  }
}
