package dev.longshot.vlm.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.multimodal.PromptLayout;
import dev.longshot.vlm.tensor.Parallel;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Scores accumulated during a chunked prefill against double-precision column sums, and an image needle: vision
 * entries whose keys point where the text queries look must survive LOOK-M (scores from text queries) once the
 * budget leaves image slots, while H2O (scores from all queries, dominated by the many vision queries and the causal
 * bias to early entries) is reported at the same budget.
 */
class AttentionScoresTest {
  private static final long SEED = 77L;
  private static final AttentionShape SHAPE = new AttentionShape(4, 2, 16);

  @Test
  void scoresAreTheTextQueriesColumnSumsSummedOverTheGroup() {
    SplittableRandom r = new SplittableRandom(SEED);
    int n = 200;
    int d = SHAPE.headDim();
    float[][] q = new float[n][];
    float[][] k = new float[n][];
    boolean[] text = new boolean[n];
    for (int t = 0; t < n; t++) {
      q[t] = random(r, SHAPE.heads() * d, 1.5);
      k[t] = random(r, SHAPE.kvHeads() * d, 1.0);
      text[t] = t % 3 == 0 || t > 150;
    }
    AttentionScores scores = new AttentionScores(1, SHAPE, text);
    prefill(q, k, k, scores, new int[] {0, 70, 71, n});
    for (int g = 0; g < SHAPE.kvHeads(); g++) {
      float[] got = scores.of(0, g, n);
      for (int j = 0; j < n; j++) {
        double expected = 0;
        for (int h = g * SHAPE.group(); h < (g + 1) * SHAPE.group(); h++) {
          for (int i = j; i < n; i++) {
            expected += text[i] ? CausalSoftmax.row(q[i], k, h, g, i, SHAPE.headDim())[j] : 0;
          }
        }
        assertThat(Math.abs(got[j] - expected)).as("kv head %d entry %d seed %d", g, j, SEED)
            .isLessThanOrEqualTo(1e-5 * Math.max(1, expected));
      }
    }
  }

  @Test
  void anImageNeedleTheTextAttendsToSurvivesLookm() {
    PromptLayout layout = PromptLayout.builder().text(20).vision(0, 8, 8, -1).vision(1, 4, 4, -1)
        .vision(2, 8, 8, -1).vision(3, 8, 8, -1).text(30).build(); // image 1 (positions 84..99) is the needle
    int n = layout.length();
    int needleFrom = 84;
    int needleTo = 100;
    SplittableRandom r = new SplittableRandom(SEED + 1);
    int d = SHAPE.headDim();
    float[] u = random(r, d, 1.0);
    float[][] q = new float[n][];
    float[][] k = new float[n][];
    float[][] v = new float[n][];
    for (int t = 0; t < n; t++) {
      boolean vision = layout.modalityAt(t) == dev.longshot.vlm.multimodal.Modality.VISION;
      q[t] = random(r, SHAPE.heads() * d, 1.0);
      k[t] = random(r, SHAPE.kvHeads() * d, 1.0);
      v[t] = random(r, SHAPE.kvHeads() * d, 1.0);
      for (int x = 0; x < d; x++) {
        for (int h = 0; h < SHAPE.heads() && !vision; h++) {
          q[t][h * d + x] += 2 * u[x]; // text queries look along u
        }
        for (int g = 0; g < SHAPE.kvHeads() && t >= needleFrom && t < needleTo; g++) {
          k[t][g * d + x] += 2 * u[x]; // the needle's keys lie along u
        }
      }
    }
    double budget = 0.45; // n = 258: heavy 58, text outside the 58-entry window 20 -> 38 image slots
    System.out.printf(Locale.ROOT, "image needle (16 of %d entries), budget %.2f, seed %d:%n", n, budget, SEED + 1);
    for (KvPolicy kind : new KvPolicy[] {KvPolicy.LOOKM, KvPolicy.H2O}) {
      CompressingKvCachePolicy policy = new CompressingKvCachePolicy(kind, budget, 0.5, KvMerge.PIVOTAL, null);
      KvCache cache = policy.create(1, SHAPE.kvHeads(), d, 512);
      AttentionObserver obs = policy.beforePrefill(cache, SHAPE, layout);
      prefill(q, k, v, obs, new int[] {0, n}, cache);
      policy.afterPrefill(cache, n);
      for (int g = 0; g < SHAPE.kvHeads(); g++) {
        int kept = cache.countUpTo(0, g, needleTo - 1) - cache.countUpTo(0, g, needleFrom - 1);
        System.out.printf(Locale.ROOT, "  %-5s kv head %d keeps %d of 16 needle entries%n", kind.configName(), g, kept);
        if (kind == KvPolicy.LOOKM) {
          assertThat(kept).as("lookm kv head %d", g).isEqualTo(16);
        }
      }
    }
  }

  private static void prefill(float[][] q, float[][] k, float[][] v, AttentionObserver obs, int[] chunks) {
    KvCache cache = new dev.longshot.vlm.attention.DenseKvCache(1, SHAPE.kvHeads(), SHAPE.headDim(), 512);
    prefill(q, k, v, obs, chunks, cache);
  }

  private static void prefill(float[][] q, float[][] k, float[][] v, AttentionObserver obs, int[] chunks,
      KvCache cache) {
    try (Parallel par = new Parallel(3)) {
      for (int c = 0; c + 1 < chunks.length; c++) {
        int from = chunks[c];
        int count = chunks[c + 1] - from;
        int[] pos = new int[count];
        float[][] qs = new float[count][];
        for (int t = 0; t < count; t++) {
          pos[t] = from + t;
          qs[t] = q[from + t];
          cache.append(0, from + t, k[from + t], v[from + t]);
        }
        new DenseAttention().attend(new PrefillBatch(SHAPE, 0, qs, pos, count,
            new float[count][SHAPE.heads() * SHAPE.headDim()], obs), cache, par);
      }
    }
  }

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return x;
  }
}
