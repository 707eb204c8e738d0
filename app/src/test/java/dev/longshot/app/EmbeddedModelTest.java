package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.AnswerBackend;
import dev.longshot.config.AnswerSettings;
import dev.longshot.config.ConfigException;
import dev.longshot.config.VlmSettings;
import dev.longshot.retrieval.answer.Answerers;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code answer.backend: embedded} with a vision-language model: a tiny random-weight SmolVLM (vlm-runtime's test
 * model, written as a Hugging Face directory) answers from keyframe JPEGs plus the retrieved text, streaming, with
 * the evidence kept; an unreadable keyframe is left out, not fatal.
 */
class EmbeddedModelTest {
  @TempDir Path tmp;

  private Path jpeg(String name, Color c) throws Exception {
    BufferedImage img = new BufferedImage(64, 36, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 64, 36);
    g.dispose();
    Path p = tmp.resolve(name);
    ImageIO.write(img, "jpg", p.toFile());
    return p;
  }

  @Test
  void aSmolVlmAnswersFromKeyframesAndTextAndKeepsTheEvidence() throws Exception {
    Path model = tmp.resolve("smolvlm");
    RandomSmolVlm.tiny(21).writeHuggingFace(model);
    jpeg("000083000.jpg", Color.RED);
    Files.writeString(tmp.resolve("000091000.jpg"), "truncated, not a JPEG");
    List<Evidence> evidence = List.of(
        new Evidence("v1", Modality.OCR, 83_000, 90_000, "Total budget: 4.2 million euros", "000083000.jpg", 0.05),
        new Evidence("v1", Modality.ASR, 91_000, 95_000, "the total budget is four million", "000091000.jpg", 0.04));
    try (EmbeddedModel m = EmbeddedModel.load(new VlmSettings(model, 1, 1024, 6))) {
      AnswerSettings settings = new AnswerSettings(AnswerBackend.EMBEDDED, null, null, null, Duration.ofSeconds(5), 0, 8);
      StringBuilder streamed = new StringBuilder();
      Answer a = Answerers.create(settings, (v, k) -> Optional.of(tmp.resolve(k)), m)
          .answer("What is the budget?", evidence, streamed::append);
      assertThat(a.backend()).isEqualTo("embedded");
      assertThat(a.evidence()).isEqualTo(evidence);
      assertThat(streamed.toString().strip()).isEqualTo(a.text());
      // the query decomposer's text-only call goes through the same model
      assertThat(m.generate("Split this question.", List.of(), piece -> { })).isNotNull();
    }
  }

  @Test
  void aSmolVlm2SeesTheKeyframesOfOneVideoAsItsProcessorWritesAVideoWithTheVideosLength() throws Exception {
    Path model = tmp.resolve("smolvlm2");
    RandomSmolVlm.tiny(21).writeHuggingFace(model);
    Path cfg = model.resolve("config.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"model_type\":\"idefics3\"", "\"model_type\":\"smolvlm\""));
    jpeg("000083000.jpg", Color.RED);
    jpeg("000095000.jpg", Color.BLUE);
    List<Evidence> evidence = List.of(
        new Evidence("v1", Modality.OCR, 83_000, 90_000, "Total budget: 4.2 million euros", "000083000.jpg", 0.05),
        new Evidence("v1", Modality.ASR, 95_000, 97_000, "the total budget is four million", "000095000.jpg", 0.04));
    try (EmbeddedModel m = EmbeddedModel.load(new VlmSettings(model, 1, 1024, 6),
        id -> id.equals("v1") ? 754_900 : -1)) {
      List<dev.longshot.capabilities.VisionLanguageGenerator.Frame> frames = List.of(
          new dev.longshot.capabilities.VisionLanguageGenerator.Frame(tmp.resolve("000083000.jpg"), 83_000, "v1"),
          new dev.longshot.capabilities.VisionLanguageGenerator.Frame(tmp.resolve("000095000.jpg"), 95_000, "v1"));
      var prompt = m.answerPrompt("Question: budget?", frames);
      // decoding drops the special tokens (<fake_token_around_image>, <global-img>, <image>); the exact string with
      // them is SmolVlm2VideoPromptTest's
      assertThat(m.tokenizer().decode(prompt.ids())).contains("User: You are provided the following series of two "
          + "frames from a 0:12:34 [H:MM:SS] video.\n\nFrame from 01:23:\nFrame from 01:35:\n\nQuestion: budget?");
      assertThat(prompt.layout().visionRanges()).extracting(r -> r.timestampMillis()).containsExactly(83_000L, 95_000L);
      // frames of two videos: no single length to give, so only the per-frame labels
      String mixed = m.tokenizer().decode(m.answerPrompt("Q", List.of(frames.get(0),
          new dev.longshot.capabilities.VisionLanguageGenerator.Frame(tmp.resolve("000095000.jpg"), 95_000, "v2")))
          .ids());
      assertThat(mixed).doesNotContain("You are provided").contains("\nFrame from 01:35:");
      // and the whole answer path streams through the same prompt
      AnswerSettings settings = new AnswerSettings(AnswerBackend.EMBEDDED, null, null, null, Duration.ofSeconds(5), 0, 8);
      StringBuilder streamed = new StringBuilder();
      Answer a = Answerers.create(settings, (v, k) -> Optional.of(tmp.resolve(k)), m)
          .answer("What is the budget?", evidence, streamed::append);
      assertThat(streamed.toString().strip()).isEqualTo(a.text());
    }
  }

  @Test
  void withoutAModelTheBackendNamesTheSetting() {
    assertThatThrownBy(() -> EmbeddedModel.load(new VlmSettings(null, 1, 1024, 6)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vlm.model");
  }
}
