package dev.longshot.vlm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longshot generate}: exit codes, usage errors, streaming to stdout. */
class GenerateCommandTest {
  @TempDir
  Path dir;

  private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return GenerateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void generatesFromAModelFileAndStreamsToStdout() throws Exception {
    Path model = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 9).writeGguf(model, TensorEncoding.Q8_0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(out, err, "--model", model.toString(), "--prompt", "the answer is", "--max-tokens", "8",
        "--threads", "2");
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip()).isNotEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("LLAMA").contains("2 threads");
    ByteArrayOutputStream chat = new ByteArrayOutputStream();
    assertThat(run(chat, err, "--model", model.toString(), "--prompt", "hi", "--chat", "--max-tokens", "4",
        "--temperature", "0.8", "--top-k", "5", "--top-p", "0.9", "--seed", "3")).isZero();
  }

  @Test
  void generatesFromAPngWithASmolVlmGgufPair() throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(5);
    rm.writeGgufPair(dir.resolve("vlm"));
    Path png = dir.resolve("a.png");
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(50, 30,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    javax.imageio.ImageIO.write(img, "png", png.toFile());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(out, err, "--model", dir.resolve("vlm/model.gguf").toString(), "--image", png.toString(),
        "--prompt", "Describe <image> please", "--max-tokens", "4", "--threads", "1", "--context-length", "1024");
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    // tower defaults for a GGUF pair: longest edge 4 x 32 = 128 -> 4 x 3 tiles + global view, 16 tokens each
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("1 images -> 208 vision tokens");
    err.reset();
    assertThat(run(out, err, "--model", dir.resolve("vlm/model.gguf").toString(), "--image", png.toString(),
        "--prompt", "hi", "--chat", "--max-tokens", "2", "--context-length", "1024")).isZero();
    err.reset();
    assertThat(run(out, err, "--model", dir.resolve("vlm/model.gguf").toString(), "--image",
        dir.resolve("missing.png").toString(), "--prompt", "hi")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.png");
  }

  @Test
  void usageErrorsExitWithTwoAndNameTheProblem() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--prompt", "x")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--model and --prompt are required").contains("usage:");
    err.reset();
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--max-tokens", "lots")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--max-tokens needs an integer, got 'lots'");
    err.reset();
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--temperature", "-1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("temperature");
    err.reset();
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--frobnicate'");
    assertThat(run(out, err, "--help")).isZero();
  }

  @Test
  void kvPolicyAndBudgetAreCheckedAndStatsReportKvBytes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--kv-policy", "snapkv")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--kv-policy").contains("[full, lookm, h2o, recent]");
    err.reset();
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--kv-budget", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--kv-budget must be in (0, 1], got 0.0");
    err.reset();
    Path model = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 9).writeGguf(model, TensorEncoding.F32);
    assertThat(run(out, err, "--model", model.toString(), "--prompt", "the answer is", "--max-tokens", "4",
        "--kv-policy", "lookm", "--kv-budget", "0.1", "--stats")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String stats = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("stats ")).findFirst()
        .orElseThrow();
    assertThat(stats).matches("stats prefill_tokens=\\d+ prefill_ms=[0-9.]+ decode_tokens=3 decode_ms=[0-9.]+ "
        + "decode_tok_s=[0-9.]+ kv_bytes_before=(\\d+) kv_bytes=\\1 attention_block_share=1.000"); // text only: kept whole
  }

  @Test
  void aMissingModelExitsWithOneAndNamesThePath() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path missing = dir.resolve("nope.gguf");
    assertThat(run(out, err, "--model", missing.toString(), "--prompt", "x")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing.toString()).contains("does not exist");
  }
}
