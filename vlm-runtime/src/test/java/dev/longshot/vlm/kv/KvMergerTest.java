package dev.longshot.vlm.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.config.KvMerge;
import org.junit.jupiter.api.Test;

/**
 * The three merge formulas against values worked out by hand (research note section 2): one head, head size 4, kept
 * entries 0, 2, 4, 7 and evicted entries 1, 3, 5, 6 with chosen keys, so the cosines are 0.8 (1 -> 2), 1 (3 -> 4),
 * 0.8 (5 -> 0) and 0 everywhere for 6 (a tie, resolved to the earliest kept entry, 0). Entry 7 receives nothing and
 * must stay bit-identical. Values are {@code v_i = (i, -i, 2i, 1)} and follow the keys' pivots.
 */
class KvMergerTest {
  private static final int D = 4;
  private static final int[] KEPT = {0, 2, 4, 7};
  private static final int[] EVICTED = {1, 3, 5, 6};
  private static final float[] KEYS = {
      1, 0, 0, 0, // 0 kept
      3, 4, 0, 0, // 1 -> 2 (cos 0.8; 0.6 with 0)
      0, 1, 0, 0, // 2 kept
      0, 0, 2, 0, // 3 -> 4 (cos 1)
      0, 0, 1, 0, // 4 kept
      4, 0, 3, 0, // 5 -> 0 (cos 0.8; 0.6 with 4)
      0, 0, 0, 5, // 6: cos 0 with every kept key -> 0 (earliest)
      0, 0, -1, 0 // 7 kept, never the most similar
  };
  private static final float[] VALUES = new float[8 * D];

  static {
    for (int i = 0; i < 8; i++) {
      VALUES[i * D] = i;
      VALUES[i * D + 1] = -i;
      VALUES[i * D + 2] = 2 * i;
      VALUES[i * D + 3] = 1;
    }
  }

  @Test
  void matchingPicksTheMostSimilarKeptKeyAndTheEarliestOnATie() {
    KvMerger.Matches m = KvMerger.match(KEYS, D, KEPT, EVICTED);
    assertThat(m.pivot()).containsExactly(1, 2, 0, 0); // indices into KEPT: entries 2, 4, 0, 0
    assertThat(m.similarity()).containsExactly(new float[] {0.8f, 1f, 0.8f, 0f}, within(1e-6f));
  }

  @Test
  void pivotalMergeAddsEachEvictedEntrysMidpointWithItsPivot() {
    // k'_c = (k_c (1 + n/2) + sum k_e / 2) / (1 + n)
    float[][] out = KvMerger.merge(KvMerge.PIVOTAL, KEYS, VALUES, D, KEPT, EVICTED);
    assertRows(out[0], new float[][] {
        {4f / 3, 0, 0.5f, 2.5f / 3}, // 0 <- 5, 6: (2 k0 + (k5 + k6) / 2) / 3
        {0.75f, 1.75f, 0, 0}, // 2 <- 1: (1.5 k2 + k1 / 2) / 2
        {0, 0, 1.25f, 0}}); // 4 <- 3
    assertRows(out[1], new float[][] {
        {11f / 6, -11f / 6, 11f / 3, 1},
        {1.75f, -1.75f, 3.5f, 1},
        {3.75f, -3.75f, 7.5f, 1}});
    assertUntouched(out);
  }

  @Test
  void averagedMergeIsThePlainMeanOverEveryEvictedEntry() {
    float[][] out = KvMerger.merge(KvMerge.AVERAGED, KEYS, VALUES, D, KEPT, EVICTED);
    assertRows(out[0], new float[][] {{5f / 3, 0, 1, 5f / 3}, {1.5f, 2.5f, 0, 0}, {0, 0, 1.5f, 0}});
    assertRows(out[1], new float[][] {{11f / 3, -11f / 3, 22f / 3, 1}, {1.5f, -1.5f, 3, 1}, {3.5f, -3.5f, 7, 1}});
    assertUntouched(out);
  }

  @Test
  void weightedMergeScalesBySimilarityAndDropsEntriesBelowTheHeadsMean() {
    // mean similarity (0.8 + 1 + 0.8 + 0) / 4 = 0.65: entry 6 (0) is dropped, the others add s_e * x_e
    float[][] out = KvMerger.merge(KvMerge.WEIGHTED, KEYS, VALUES, D, KEPT, EVICTED);
    assertRows(out[0], new float[][] {{2.1f, 0, 1.2f, 0}, {1.2f, 2.1f, 0, 0}, {0, 0, 1.5f, 0}});
    assertRows(out[1], new float[][] {{2f, -2f, 4f, 0.9f}, {1.4f, -1.4f, 2.8f, 0.9f}, {3.5f, -3.5f, 7, 1}});
    assertUntouched(out);
  }

  private static void assertRows(float[] merged, float[][] expected) {
    for (int c = 0; c < expected.length; c++) {
      for (int i = 0; i < D; i++) {
        assertThat(merged[c * D + i]).as("kept entry %d dim %d", KEPT[c], i).isCloseTo(expected[c][i], within(1e-6f));
      }
    }
  }

  private static void assertUntouched(float[][] out) {
    for (int i = 0; i < D; i++) { // bit-identical, not just close
      assertThat(Float.floatToRawIntBits(out[0][3 * D + i])).isEqualTo(Float.floatToRawIntBits(KEYS[7 * D + i]));
      assertThat(Float.floatToRawIntBits(out[1][3 * D + i])).isEqualTo(Float.floatToRawIntBits(VALUES[7 * D + i]));
    }
  }
}
