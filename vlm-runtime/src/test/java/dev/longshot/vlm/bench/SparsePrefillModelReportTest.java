package dev.longshot.vlm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.sparse.AShapePattern;
import dev.longshot.vlm.attention.sparse.AttentionPatterns;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-model report of the sparse-prefill benchmark on a seeded tiny model with a pattern file (a-shape on the
 * heads of layer 0, layer 1 left dense): one line per layer, with fewer blocks and recall below 1 where a pattern
 * runs, and exactly dense (share 1, recall 1, error 0) where none does.
 */
class SparsePrefillModelReportTest {
  @TempDir
  Path dir;

  @Test
  void reportsEveryLayerWithItsPatterns() throws Exception {
    ModelSpec spec = ModelSpec.tinyLlama();
    Path model = dir.resolve("m.gguf");
    new RandomModel(spec, 3).writeGguf(model, TensorEncoding.F32);
    String fingerprint;
    try (TextGenerator g = TextGenerator.load(model, new VlmSettings(model, 2, 16, 1))) {
      fingerprint = g.fingerprint();
    }
    Map<Long, AttentionPatterns.Entry> e = new HashMap<>();
    for (int h = 0; h < spec.heads(); h++) {
      e.put(AttentionPatterns.key(0, h), new AttentionPatterns.Entry(new AShapePattern(16, 64), 0.9));
    }
    Path patterns = dir.resolve("p.json");
    new AttentionPatterns(fingerprint, spec.layers(), spec.heads(), e).write(patterns);
    Path prompt = dir.resolve("prompt.txt");
    Files.writeString(prompt, "a slide about sparse attention, then a lake; ".repeat(7));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    SparsePrefillModelReport.run(new String[] {"--model", model.toString(), "--attention-patterns",
        patterns.toString(), "--prompt-file", prompt.toString(), "--threads", "2"},
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    Matcher layer0 = Pattern.compile("\n0 \\| \\{a-shape=4} \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| ([0-9.]+) \\| "
        + "([0-9.]+) \\| ([0-9.e+-]+)\n").matcher(out);
    assertThat(layer0.find()).as(out).isTrue();
    assertThat(Double.parseDouble(layer0.group(1))).as(out).isLessThan(1.0);
    assertThat(Double.parseDouble(layer0.group(2))).as(out).isLessThan(1.0).isGreaterThan(0.0);
    assertThat(Double.parseDouble(layer0.group(3))).as(out).isPositive();
    Matcher layer1 = Pattern.compile("\n1 \\| \\{dense=4} \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| 1\\.000 \\| 1\\.0000 \\| "
        + "([0-9.e+-]+)\n").matcher(out);
    assertThat(layer1.find()).as(out).isTrue();
    assertThat(Double.parseDouble(layer1.group(1))).as("dense heads: only summation order differs").isLessThan(1e-5);
    assertThat(out).contains("all layers: dense");
  }
}
