package dev.longshot.vlm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.vlm.attention.sparse.AShapePattern;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code longshot attention-search} on a seeded tiny model writes a pattern file that {@code generate --attention
 * mminference} loads (with {@code --stats}); a file for another model, a missing pattern file and a bad mode are
 * refused with one clear line.
 */
class AttentionSearchCommandTest {
  @TempDir
  Path dir;

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  private static PrintStream ps(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  @Test
  void searchWritesPatternsThatGenerateUses() throws Exception {
    Path model = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 11).writeGguf(model, TensorEncoding.F32);
    Path prompt = dir.resolve("prompt.txt");
    Files.writeString(prompt, "the lecture shows a slide about sparse attention and then a video of a lake. ".repeat(3));
    Path patterns = dir.resolve("patterns.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AttentionSearchCommand.run(new String[] {"--model", model.toString(), "--prompt-file",
        prompt.toString(), "--out", patterns.toString(), "--threads", "2"}, ps(out), ps(err));
    assertThat(code).as(text(err)).isZero();
    assertThat(text(out)).contains("layer 0 head 0:").contains("wrote 8 of 8 heads");
    assertThat(Files.readString(patterns)).contains("\"format\" : \"longshot-attention-patterns\"")
        .contains("\"model\" : \"sha256:");

    out.reset();
    err.reset();
    code = GenerateCommand.run(new String[] {"--model", model.toString(), "--prompt-file", prompt.toString(),
        "--max-tokens", "3", "--threads", "2", "--attention", "mminference", "--attention-patterns",
        patterns.toString(), "--stats"}, ps(out), ps(err));
    assertThat(code).as(text(err)).isZero();
    assertThat(text(err)).containsPattern("stats prefill_tokens=\\d+ prefill_ms=[0-9.]+ decode_tokens=\\d+ "
        + "decode_ms=[0-9.]+ .*kv_bytes=\\d+ attention_block_share=[01]\\.\\d{3}\n");

    Files.writeString(patterns, Files.readString(patterns).replaceFirst("sha256:[0-9a-f]+", "sha256:0000"));
    err.reset();
    code = GenerateCommand.run(new String[] {"--model", model.toString(), "--prompt", "hi", "--attention",
        "mminference", "--attention-patterns", patterns.toString()}, ps(out), ps(err));
    assertThat(code).isEqualTo(1);
    assertThat(text(err)).contains("sha256:0000").containsPattern("loaded model is sha256:[0-9a-f]{16}");
  }

  /**
   * {@code --stats} reports the share of causal 64x64 blocks the sparse strategy computed (issue 18 found it printed
   * 1.0 whatever ran): a-shape heads on a prompt of several blocks compute fewer than all.
   */
  @Test
  void statsLineReportsTheMeasuredBlockShareOfSparsePrefill() throws Exception {
    ModelSpec spec = ModelSpec.tinyLlama();
    Path model = dir.resolve("m.gguf");
    new RandomModel(spec, 11).writeGguf(model, TensorEncoding.F32);
    Path prompt = dir.resolve("prompt.txt");
    Files.writeString(prompt, "a slide about sparse attention, then a lake; ".repeat(7));
    Path patterns = dir.resolve("patterns.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(AttentionSearchCommand.run(new String[] {"--model", model.toString(), "--prompt-file",
        prompt.toString(), "--out", patterns.toString(), "--threads", "2"}, ps(out), ps(err))).as(text(err)).isZero();
    java.util.regex.Matcher fp = java.util.regex.Pattern.compile("\"model\" : \"(sha256:[0-9a-f]+)\"")
        .matcher(Files.readString(patterns));
    assertThat(fp.find()).isTrue();
    java.util.Map<Long, AttentionPatterns.Entry> aShape = new java.util.HashMap<>();
    for (int l = 0; l < spec.layers(); l++) {
      for (int h = 0; h < spec.heads(); h++) {
        aShape.put(AttentionPatterns.key(l, h), new AttentionPatterns.Entry(new AShapePattern(16, 64), 1.0));
      }
    }
    new AttentionPatterns(fp.group(1), spec.layers(), spec.heads(), aShape).write(patterns);
    String[] common = {"--model", model.toString(), "--prompt-file", prompt.toString(), "--max-tokens", "2",
        "--threads", "2", "--stats"};
    err.reset();
    assertThat(GenerateCommand.run(concat(common, "--attention", "mminference", "--attention-patterns",
        patterns.toString()), ps(out), ps(err))).as(text(err)).isZero();
    java.util.regex.Matcher share = java.util.regex.Pattern.compile("prefill_tokens=(\\d+) .*"
        + "attention_block_share=([0-9.]+)\n").matcher(text(err));
    assertThat(share.find()).as(text(err)).isTrue();
    assertThat(Integer.parseInt(share.group(1))).as("prompt spans several blocks").isGreaterThan(192);
    assertThat(Double.parseDouble(share.group(2))).as(text(err)).isLessThan(0.95).isGreaterThan(0.2);
    err.reset();
    assertThat(GenerateCommand.run(concat(common, "--attention", "dense"), ps(out), ps(err))).isZero();
    assertThat(text(err)).contains("attention_block_share=1.000\n");
  }

  /** With {@code --image} (a SmolVLM model) the prompts carry the pictures, so the search sees vision spans. */
  @Test
  void imagesGiveThePromptVisionSpans() throws Exception {
    Path hf = dir.resolve("hf");
    RandomSmolVlm.tiny(5L).writeHuggingFace(hf);
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(48, 40,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D gr = img.createGraphics();
    gr.setColor(java.awt.Color.ORANGE);
    gr.fillOval(10, 8, 24, 20);
    gr.dispose();
    Path png = dir.resolve("frame.png");
    javax.imageio.ImageIO.write(img, "png", png.toFile());
    Path prompt = dir.resolve("prompt.txt");
    Files.writeString(prompt, "<image>" + "What is in the picture, and where is the lake in the lecture? ".repeat(2));
    Path patterns = dir.resolve("vision-patterns.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AttentionSearchCommand.run(new String[] {"--model", hf.toString(), "--prompt-file", prompt.toString(),
        "--image", png.toString(), "--out", patterns.toString(), "--threads", "2"}, ps(out), ps(err));
    assertThat(code).as(text(err)).isZero();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) tokens \\((\\d+) vision\\)").matcher(text(err));
    assertThat(m.find()).as(text(err)).isTrue();
    assertThat(Integer.parseInt(m.group(2))).as(text(err)).isPositive().isLessThan(Integer.parseInt(m.group(1)));
    assertThat(Files.readString(patterns)).contains("\"format\" : \"longshot-attention-patterns\"");
    err.reset();
    assertThat(AttentionSearchCommand.run(new String[] {"--model", hf.toString(), "--prompt-file", prompt.toString(),
        "--image", dir.resolve("none.png").toString(), "--out", patterns.toString()}, ps(out), ps(err))).isEqualTo(1);
    assertThat(text(err)).contains("none.png");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void badAttentionOptionsAreUsageErrors() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(GenerateCommand.run(new String[] {"--model", "m", "--prompt", "x", "--attention", "sparse"}, ps(out),
        ps(err))).isEqualTo(2);
    assertThat(text(err)).contains("--attention").contains("[dense, mminference]");
    err.reset();
    assertThat(GenerateCommand.run(new String[] {"--model", "m", "--prompt", "x", "--attention", "mminference"},
        ps(out), ps(err))).isEqualTo(1);
    assertThat(text(err)).contains("vlm.attention-patterns");
    err.reset();
    assertThat(GenerateCommand.run(new String[] {"--model", "m", "--prompt-file", dir.resolve("none.txt").toString()},
        ps(out), ps(err))).isEqualTo(2);
    assertThat(text(err)).contains("cannot read prompt file");
    err.reset();
    assertThat(AttentionSearchCommand.run(new String[] {"--model", "m"}, ps(out), ps(err))).isEqualTo(2);
    assertThat(text(err)).contains("--prompt-file");
    err.reset();
    assertThat(AttentionSearchCommand.run(new String[] {"--model", "m", "--prompt-file", "p", "--out", "o",
        "--target-recall", "1.5"}, ps(out), ps(err))).isEqualTo(2);
    assertThat(text(err)).isEqualTo("longshot attention-search: --target-recall must be in (0, 1], got 1.5\n");
    out.reset();
    assertThat(AttentionSearchCommand.run(new String[] {"--help"}, ps(out), ps(err))).isZero();
    assertThat(text(out)).contains("--target-recall=R").contains("(default 0.9995)");
  }
}
