package dev.longshot.vlm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-model agreement harness of issue 18 on a tiny random SmolVLM the test writes, with drawn frames and a
 * JSON-lines question file: every policy and budget gets a row, the full-cache control agrees with itself, the
 * compressed caches hold fewer bytes, and the verdict line is printed (agreement itself means nothing on random
 * weights). Bad inputs fail with one line.
 */
class SmolVlmAgreementBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void comparesEveryPolicyWithTheFullCacheOnFramePrompts() throws Exception {
    Path hf = dir.resolve("hf");
    RandomSmolVlm.tiny(7L).writeHuggingFace(hf);
    Path frames = Files.createDirectories(dir.resolve("frames"));
    Color[] colors = {Color.ORANGE, Color.BLUE, Color.GREEN, Color.RED};
    for (int i = 0; i < colors.length; i++) {
      BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(colors[i]);
      g.fillOval(4 + 6 * i, 6, 24, 20);
      g.dispose();
      ImageIO.write(img, "png", frames.resolve(String.format("%05d.png", i)).toFile());
    }
    Files.writeString(frames.resolve("notes.txt"), "not a frame");
    Path questions = dir.resolve("q.jsonl");
    Files.writeString(questions, "{\"question\": \"What colour is the ball?\", \"start\": 1.0}\n\n"
        + "Where does the ball go?\n");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<SmolVlmAgreementBenchmark.Row> rows = SmolVlmAgreementBenchmark.run(SmolVlmAgreementBenchmark.Options.parse(
        new String[] {"--model", hf.toString(), "--frames", frames.toString(), "--questions", questions.toString(),
            "--answer-tokens", "4", "--context", "512", "--threads", "2"}),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("4 frames, 2 questions").contains("verdict: lookm at 0.20");
    assertThat(rows).extracting(SmolVlmAgreementBenchmark.Row::policy)
        .containsExactly("full (control)", "lookm", "h2o", "recent", "lookm", "h2o", "recent");
    assertThat(rows.get(0).same()).as(out).isEqualTo(2);
    assertThat(rows.get(0).kvBytes()).isEqualTo(rows.get(0).fullKvBytes());
    for (SmolVlmAgreementBenchmark.Row r : rows.subList(1, rows.size())) {
      assertThat(r.prompts()).isEqualTo(2);
      // lookm keeps every text entry (120 of these 184-token prompts), the baselines only the budget
      assertThat(r.kvBytes()).as("%s at %.2f compresses\n%s", r.policy(), r.budget(), out)
          .isLessThan(r.policy().equals("lookm") ? r.fullKvBytes() : (long) (r.fullKvBytes() * (r.budget() + 0.01)));
    }
  }

  @Test
  void badInputsFailWithOneLine() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> SmolVlmAgreementBenchmark.frames(empty, 10)).hasMessageContaining("no .png/.jpg frames");
    Path q = dir.resolve("q.jsonl");
    Files.writeString(q, "{\"text\": \"no question field\"}\n");
    assertThatThrownBy(() -> SmolVlmAgreementBenchmark.questions(q)).hasMessageContaining("without a \"question\"");
    assertThatThrownBy(() -> SmolVlmAgreementBenchmark.Options.parse(new String[] {"--model", "m"}))
        .hasMessageContaining("missing --frames");
  }
}
