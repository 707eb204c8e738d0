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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole runtime path (scores accumulated by {@link DenseAttention} during a chunked, multi-threaded prefill,
 * selection, merging, compaction) against a plain double-precision statement of the same algorithm: explicit softmax
 * column sums over the observed queries (text queries for LOOK-M, all for H2O) summed over each GQA group, sorting
 * for the top-k, cosines and merges in double. Random post-RoPE keys, queries and values on a synthetic multimodal
 * layout (text, three 8x8 images, text, two more images, a text question; 4 query heads on 2 kv heads, head size 16,
 * 341 tokens so rows cross 64-key tiles). Kept positions must match exactly, merged keys/values within 1e-5.
 */
class CompressionReferenceTest {
  private static final long SEED = 1818L;
  private static final AttentionShape SHAPE = new AttentionShape(4, 2, 16);
  private static final int LAYERS = 2;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(KvPolicy.LOOKM, KvMerge.PIVOTAL, 0.2),
        Arguments.of(KvPolicy.LOOKM, KvMerge.PIVOTAL, 0.1),
        Arguments.of(KvPolicy.LOOKM, KvMerge.PIVOTAL, 0.05),
        Arguments.of(KvPolicy.LOOKM, KvMerge.PIVOTAL, 0.45), // budget beyond the text: image slots by score
        Arguments.of(KvPolicy.LOOKM, KvMerge.AVERAGED, 0.45),
        Arguments.of(KvPolicy.LOOKM, KvMerge.WEIGHTED, 0.45),
        Arguments.of(KvPolicy.H2O, KvMerge.PIVOTAL, 0.2),
        Arguments.of(KvPolicy.H2O, KvMerge.PIVOTAL, 0.05),
        Arguments.of(KvPolicy.RECENT, KvMerge.PIVOTAL, 0.1));
  }

  @ParameterizedTest(name = "{0} {1} budget {2}")
  @MethodSource("cases")
  void runtimeCompressionMatchesTheDoublePrecisionReference(KvPolicy kind, KvMerge merge, double budget) {
    PromptLayout layout = PromptLayout.builder().text(40).vision(0, 8, 8, -1).vision(1, 8, 8, -1)
        .vision(2, 8, 8, -1).text(25).vision(3, 8, 8, -1).vision(4, 8, 8, -1).text(36).build();
    int n = layout.length();
    SplittableRandom r = new SplittableRandom(SEED);
    int d = SHAPE.headDim();
    float[][][] q = new float[LAYERS][n][];
    float[][][] k = new float[LAYERS][n][];
    float[][][] v = new float[LAYERS][n][];
    for (int l = 0; l < LAYERS; l++) {
      for (int t = 0; t < n; t++) {
        q[l][t] = random(r, SHAPE.heads() * d, 2.0);
        k[l][t] = random(r, SHAPE.kvHeads() * d, 1.0);
        v[l][t] = random(r, SHAPE.kvHeads() * d, 1.0);
      }
    }
    CompressingKvCachePolicy policy = new CompressingKvCachePolicy(kind, budget, 0.5, merge, null);
    KvCache cache = policy.create(LAYERS, SHAPE.kvHeads(), d, 1024);
    AttentionObserver observer = policy.beforePrefill(cache, SHAPE, layout);
    try (Parallel par = new Parallel(3)) {
      int[] chunks = {0, 100, 101, n}; // includes a one-token chunk
      for (int c = 0; c + 1 < chunks.length; c++) {
        int from = chunks[c];
        int count = chunks[c + 1] - from;
        for (int l = 0; l < LAYERS; l++) {
          int[] pos = new int[count];
          float[][] qs = new float[count][];
          for (int t = 0; t < count; t++) {
            pos[t] = from + t;
            qs[t] = q[l][from + t];
            cache.append(l, from + t, k[l][from + t], v[l][from + t]);
          }
          new DenseAttention().attend(new PrefillBatch(SHAPE, l, qs, pos, count,
              new float[count][SHAPE.heads() * d], observer), cache, par);
        }
      }
    }
    long bytesBefore = cache.bytes();
    policy.afterPrefill(cache, n);
    assertThat(policy.lastSummary().compressed()).isTrue();
    assertThat(cache.bytes()).as("compaction frees memory").isLessThan(bytesBefore);

    boolean[] image = CompressingKvCachePolicy.visionMask(layout);
    KvBudget b = KvBudget.of(n, budget, 0.5);
    for (int l = 0; l < LAYERS; l++) {
      for (int g = 0; g < SHAPE.kvHeads(); g++) {
        String what = kind + " " + merge + " budget " + budget + " layer " + l + " kv head " + g + " seed " + SEED;
        double[] scores = referenceScores(q[l], k[l], g, kind == KvPolicy.LOOKM ? image : null);
        int[] kept = referenceSelection(kind, scores, image, b);
        int[] positions = new int[cache.size(l, g)];
        for (int e = 0; e < positions.length; e++) {
          positions[e] = cache.position(l, g, e);
        }
        assertThat(positions).as(what).containsExactly(kept);
        double[][] expected = kind == KvPolicy.LOOKM ? referenceMerge(merge, k[l], v[l], g, kept)
            : gather(k[l], v[l], g, kept);
        float[] keys = cache.keys(l, g);
        float[] values = cache.values(l, g);
        double worst = 0;
        for (int i = 0; i < kept.length * d; i++) {
          worst = Math.max(worst, Math.max(Math.abs(keys[i] - expected[0][i]), Math.abs(values[i] - expected[1][i])));
        }
        assertThat(worst).as("max |runtime - reference| over keys and values, " + what).isLessThanOrEqualTo(1e-5);
      }
    }
  }

  /** Column sums of the causal softmax over the observed queries (null: all), summed over the group's heads. */
  private static double[] referenceScores(float[][] q, float[][] k, int kvHead, boolean[] image) {
    int n = q.length;
    int d = SHAPE.headDim();
    double[] s = new double[n];
    for (int h = kvHead * SHAPE.group(); h < (kvHead + 1) * SHAPE.group(); h++) {
      for (int i = 0; i < n; i++) {
        if (image != null && image[i]) {
          continue; // LOOK-M scores from text queries only
        }
        double[] w = CausalSoftmax.row(q[i], k, h, kvHead, i, d);
        for (int j = 0; j <= i; j++) {
          s[j] += w[j];
        }
      }
    }
    return s;
  }

  private static int[] referenceSelection(KvPolicy kind, double[] scores, boolean[] image, KvBudget b) {
    int n = scores.length;
    int start = n - b.recent();
    List<Integer> keep = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    int slots;
    switch (kind) {
      case RECENT -> {
        for (int i = n - b.total(); i < n; i++) {
          keep.add(i);
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
      }
      case LOOKM -> {
        int text = 0;
        for (int i = 0; i < start; i++) {
          if (image[i]) {
            candidates.add(i);
          } else {
            keep.add(i);
            text++;
          }
        }
        slots = Math.max(0, b.heavy() - text);
      }
      default -> {
        for (int i = 0; i < start; i++) {
          candidates.add(i);
        }
        slots = b.heavy();
      }
    }
    candidates.sort((x, y) -> Double.compare(scores[y], scores[x]));
    keep.addAll(candidates.subList(0, Math.min(slots, candidates.size())));
    for (int i = start; i < n; i++) {
      keep.add(i);
    }
    return keep.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static double[][] referenceMerge(KvMerge merge, float[][] k, float[][] v, int kvHead, int[] kept) {
    int d = SHAPE.headDim();
    int n = k.length;
    double[][] out = gather(k, v, kvHead, kept);
    double[][] sum = new double[2][kept.length * d];
    double[] count = new double[kept.length];
    boolean[] isKept = new boolean[n];
    for (int c : kept) {
      isKept[c] = true;
    }
    List<double[]> matches = new ArrayList<>(); // {entry, pivot index, similarity}
    for (int e = 0; e < n; e++) {
      if (isKept[e]) {
        continue;
      }
      double best = Double.NEGATIVE_INFINITY;
      int arg = -1;
      for (int c = 0; c < kept.length; c++) {
        double cos = cosine(k[e], k[kept[c]], kvHead * d, d);
        if (cos > best) {
          best = cos;
          arg = c;
        }
      }
      matches.add(new double[] {e, arg, best});
    }
    double mean = matches.stream().mapToDouble(m -> m[2]).average().orElse(0);
    for (double[] m : matches) {
      int e = (int) m[0];
      int c = (int) m[1];
      double s = m[2];
      if (merge == KvMerge.WEIGHTED && s < mean) {
        continue;
      }
      for (int x = 0; x < d; x++) {
        double ke = k[e][kvHead * d + x];
        double ve = v[e][kvHead * d + x];
        double kc = k[kept[c]][kvHead * d + x];
        double vc = v[kept[c]][kvHead * d + x];
        sum[0][c * d + x] += switch (merge) {
          case PIVOTAL -> (ke + kc) / 2;
          case AVERAGED -> ke;
          case WEIGHTED -> s * ke;
        };
        sum[1][c * d + x] += switch (merge) {
          case PIVOTAL -> (ve + vc) / 2;
          case AVERAGED -> ve;
          case WEIGHTED -> s * ve;
        };
      }
      count[c]++;
    }
    for (int c = 0; c < kept.length; c++) {
      for (int x = 0; x < d; x++) {
        for (int kv = 0; kv < 2; kv++) {
          out[kv][c * d + x] = (out[kv][c * d + x] + sum[kv][c * d + x]) / (1 + count[c]);
        }
      }
    }
    return out;
  }

  private static double[][] gather(float[][] k, float[][] v, int kvHead, int[] kept) {
    int d = SHAPE.headDim();
    double[][] out = new double[2][kept.length * d];
    for (int c = 0; c < kept.length; c++) {
      for (int x = 0; x < d; x++) {
        out[0][c * d + x] = k[kept[c]][kvHead * d + x];
        out[1][c * d + x] = v[kept[c]][kvHead * d + x];
      }
    }
    return out;
  }

  private static double cosine(float[] a, float[] b, int off, int d) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int x = 0; x < d; x++) {
      dot += (double) a[off + x] * b[off + x];
      na += (double) a[off + x] * a[off + x];
      nb += (double) b[off + x] * b[off + x];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return x;
  }
}
