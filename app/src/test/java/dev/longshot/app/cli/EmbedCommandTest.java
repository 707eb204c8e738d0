package dev.longshot.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.EmbeddingBackend;
import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.M2BertTextEmbedder;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed} on a random-weight M2-BERT checkpoint in the real layout: the printed array is the embedder's vector. */
class EmbedCommandTest {
  @TempDir Path tmp;

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void printsThePooledUnitVectorAsJsonForTextAndFile() throws Exception {
    Path dir = new TinyM2Bert(11, 8, 16, 1, 12, 4, 4).write(tmp.resolve("m2"));
    Path file = Files.writeString(tmp.resolve("t.txt"), "the big dog sat on a mat");
    float[] expected;
    try (M2BertTextEmbedder e = new M2BertTextEmbedder(dir, 1)) {
      expected = e.embedPassages(List.of("the big dog sat on a mat")).get(0);
    }
    String[] byText = run("embed", "--model", dir.toString(), "--text", "the big dog sat on a mat");
    assertThat(byText[0]).as(byText[2]).isEqualTo("0");
    float[] printed = new ObjectMapper().readValue(byText[1], float[].class);
    assertThat(printed).containsExactly(expected);
    String[] byFile = run("embed", "--model", dir.toString(), "--query", "--file", file.toString());
    assertThat(byFile[0]).isEqualTo("0");
    assertThat(byFile[1]).isEqualTo(byText[1]); // M2-BERT has no query prefix
  }

  @Test
  void badUsageAndMissingModelAreOneLine() {
    assertThat(run("embed", "--text", "a", "--file", "b")[2]).contains("mutually exclusive");
    String[] noFile = run("embed", "--model", tmp.toString(), "--file", tmp.resolve("nope.txt").toString());
    assertThat(noFile[0]).isEqualTo("2");
    assertThat(noFile[2]).contains("no such file");
    String[] noModel = run("embed", "--model", tmp.resolve("absent").toString(), "--text", "x");
    assertThat(noModel[0]).isEqualTo("1");
    assertThat(noModel[2].strip()).doesNotContain("\n").contains("absent does not exist");
    assertThat(LongshotConfig.defaults().embeddings().backend()).isEqualTo(EmbeddingBackend.ONNX);
  }
}
