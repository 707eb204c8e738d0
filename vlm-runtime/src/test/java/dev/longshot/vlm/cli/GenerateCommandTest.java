package dev.longshot.vlm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
    // issue 13: the streamed text is exactly what the runtime generates with the documented defaults (greedy)
    String expected;
    try (TextGenerator g = TextGenerator.load(model, new VlmSettings(model, 2, 4096, 8))) {
      expected = g.generate("the answer is", new GenerationSettings(8, 0f, 40, 0.95f, 1f, 64, 42, List.of()), t -> { });
    }
    assertThat(expected).isNotBlank();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected + System.lineSeparator());
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

  /** The help text comes from the option declarations, defaults included. */
  @Test
  void helpListsEveryOptionWithItsDefault() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--help")).isZero();
    // picocli's synopsis of the declarations (required option, the prompt group, repeatable options), wrapped
    assertThat(out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ")).startsWith("usage: longshot generate ")
        .contains(" --model=PATH ").contains(" (--prompt=TEXT | --prompt-file=FILE)").contains(" [--image=FILE]...");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--max-tokens=N").contains("most tokens to generate (default 256)")
        .contains("--top-p=P").contains("(default 0.95)").contains("--context-length=N").contains("(default 4096)")
        .contains("--kv-policy=NAME").contains("--stats").contains("--prompt-file=FILE").contains("--attention=MODE")
        .contains("--attention-patterns=FILE");
    assertThat(run(out, err, "--model", "m", "--prompt", "x", "--max-tokns", "3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--max-tokns'").contains("--max-tokens");
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
