package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.fuzz.FuzzCheck;
import dev.longshot.config.fuzz.Mutations;
import dev.longshot.embeddings.m2bert.BertVocab;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of an M2-BERT directory's config.json and tokenizer.json: seeded mutants each load or fail with
 * an {@link EmbeddingException} whose message is one line, and a model that loads embeds to finite numbers (a
 * layer_norm_eps of -1 must not turn every vector into NaN).
 */
class M2BertFuzzTest {
  private static final long SEED = 20261202L;

  @TempDir
  Path tmp;

  private static String pretty(String json) throws Exception {
    ObjectMapper om = new ObjectMapper();
    return om.writerWithDefaultPrettyPrinter().writeValueAsString(om.readTree(json));
  }

  private FuzzCheck<String> fuzz(Path dir, String file, int count) throws Exception {
    Path f = dir.resolve(file);
    byte[] original = Files.readAllBytes(f);
    FuzzCheck<String> c = new FuzzCheck<String>(file, SEED, 128L << 20, EmbeddingException.class)
        .run(Mutations.text(pretty(new String(original, StandardCharsets.UTF_8)), SEED, count), s -> {
          Files.write(f, s.getBytes(StandardCharsets.UTF_8));
          try (M2BertTextEmbedder e = new M2BertTextEmbedder(dir, 1)) {
            for (float x : e.embedQuery("the cat sat")) {
              if (!Float.isFinite(x)) {
                throw new AssertionError("loaded, but embeds to " + x);
              }
            }
          }
        });
    Files.write(f, original);
    return c;
  }

  @Test
  void mutatedConfigAndTokenizerLoadOrFailWithOneLine() throws Exception {
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("m2"));
    Files.write(dir.resolve("tokenizer.json"), BertVocab.tokenizerJson(dir.resolve("vocab.txt")));
    assertThat(fuzz(dir, "config.json", 800).faults()).isEmpty();
    assertThat(fuzz(dir, "tokenizer.json", 300).faults()).isEmpty();
  }
}
