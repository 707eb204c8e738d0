package dev.longshot.vlm.attention.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.sparse.VerticalSlashPattern.Boundary;
import dev.longshot.vlm.model.ModelConfig;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sparse prefill strategy inside a whole forward pass of a seeded tiny model: with budgets that keep every block
 * the logits equal dense; a sparse A-shape computes fewer blocks and says so in the stats; a layout that does not
 * cover the prompt fails with both lengths.
 */
class SparsePrefillModelTest {
  private static final long SEED = 4242L;
  @TempDir
  Path dir;

  private float[] firstLogits(TextGenerator g, int[] ids) {
    float[][] logits = new float[1][];
    g.generate(ids, GenerationSettings.greedy(1), s -> {}, (token, l) -> {
      if (logits[0] == null) {
        logits[0] = l;
      }
    });
    return logits[0];
  }

  private static AttentionPatterns everyHead(ModelConfig c, Function<Integer, HeadPattern> p) {
    Map<Long, AttentionPatterns.Entry> e = new HashMap<>();
    for (int l = 0; l < c.layers(); l++) {
      for (int h = 0; h < c.heads(); h++) {
        e.put(AttentionPatterns.key(l, h), new AttentionPatterns.Entry(p.apply(h), 1.0));
      }
    }
    return new AttentionPatterns("test", c.layers(), c.heads(), e);
  }

  @Test
  void fullBudgetEqualsDenseAndSparseComputesFewerBlocks() throws Exception {
    Path model = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), (int) SEED).writeGguf(model, TensorEncoding.F32);
    try (TextGenerator g = TextGenerator.load(model, new VlmSettings(model, 2, 256, 4))) {
      int[] ids = new int[200];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 10 + (i * 7919 + 13) % 200;
      }
      float[] dense = firstLogits(g, ids);
      assertThat(g.attentionBlockShare()).isEqualTo(1.0);
      ModelConfig c = g.config();
      g.setAttention(new AttentionStrategies(new MMInferenceAttention(everyHead(c,
          h -> new VerticalSlashPattern(256, 256, 64, Boundary.NONE))), new DenseAttention()));
      float[] full = firstLogits(g, ids);
      for (int v = 0; v < dense.length; v++) {
        assertThat(Math.abs(full[v] - dense[v])).as("logit %d seed %d", v, SEED).isLessThan(1e-4f);
      }
      g.setAttention(new AttentionStrategies(new MMInferenceAttention(everyHead(c,
          h -> h % 2 == 0 ? new AShapePattern(16, 64) : new DensePattern())), new DenseAttention()));
      firstLogits(g, ids);
      double share = g.attentionBlockShare();
      assertThat(share).isLessThan(1.0).isGreaterThan(0.5);
      assertThat(g.lastStats().line(share)).contains("prefill_tokens=200")
          .containsPattern("attention_block_share=0\\.\\d{3}$");
    }
  }
}
