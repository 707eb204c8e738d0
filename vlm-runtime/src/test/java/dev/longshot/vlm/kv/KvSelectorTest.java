package dev.longshot.vlm.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Selection invariants on random scores and layouts: what must always survive, exact counts, ascending order. */
class KvSelectorTest {
  private static final long SEED = 18L;

  @Test
  void budgetSplitsLikeTheReference() {
    KvBudget b = KvBudget.of(1000, 0.2, 0.5); // hh_ratio = recent_ratio = 0.1
    assertThat(b.heavy()).isEqualTo(100);
    assertThat(b.recent()).isEqualTo(100);
    assertThat(KvBudget.of(1000, 0.05, 0.5).total()).isEqualTo(50);
    assertThat(KvBudget.of(5, 0.05, 0.5).recent()).as("never an empty recent window").isEqualTo(1);
    assertThat(KvBudget.of(10, 1.0, 0.5).keepsAll()).isTrue();
  }

  @Test
  void lookmKeepsTextAndTheRecentWindowThenTheBestImageEntries() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int trial = 0; trial < 200; trial++) {
      int n = 20 + r.nextInt(400);
      boolean[] image = randomLayout(r, n);
      float[] scores = randomScores(r, n);
      KvBudget b = KvBudget.of(n, 0.02 + r.nextDouble() * 0.5, 0.1 + r.nextDouble() * 0.9);
      int[] kept = KvSelector.lookm(scores, image, b);
      String what = "trial " + trial + " seed " + SEED + " " + b;
      assertAscending(kept, what);
      int text = 0;
      int imagesBefore = 0;
      for (int i = 0; i < b.recentStart(); i++) {
        text += image[i] ? 0 : 1;
        imagesBefore += image[i] ? 1 : 0;
      }
      int slots = Math.min(imagesBefore, Math.max(0, b.heavy() - text));
      assertThat(kept.length).as(what).isEqualTo(n - b.recentStart() + text + slots);
      boolean[] in = mask(kept, n);
      float worstKept = Float.POSITIVE_INFINITY;
      float bestDropped = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!image[i] || i >= b.recentStart()) {
          assertThat(in[i]).as("text or recent entry %d, %s", i, what).isTrue();
        } else if (in[i]) {
          worstKept = Math.min(worstKept, scores[i]);
        } else {
          bestDropped = Math.max(bestDropped, scores[i]);
        }
      }
      assertThat(worstKept).as("kept image entries outscore dropped ones, " + what).isGreaterThanOrEqualTo(bestDropped);
    }
  }

  @Test
  void h2oKeepsExactlyTheBudgetAndRecentKeepsTheTail() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int trial = 0; trial < 200; trial++) {
      int n = 20 + r.nextInt(400);
      float[] scores = randomScores(r, n);
      KvBudget b = KvBudget.of(n, 0.02 + r.nextDouble() * 0.5, 0.1 + r.nextDouble() * 0.9);
      int[] h2o = KvSelector.h2o(scores, b);
      assertAscending(h2o, "h2o trial " + trial);
      assertThat(h2o.length).isEqualTo(Math.min(n, b.total()));
      int[] recent = KvSelector.recent(b);
      assertAscending(recent, "recent trial " + trial);
      assertThat(recent.length).isEqualTo(Math.min(n, b.total()));
      assertThat(recent[recent.length - 1]).isEqualTo(n - 1);
      for (int i = b.recentStart(); i < n; i++) {
        assertThat(mask(h2o, n)[i]).isTrue();
      }
    }
  }

  @Test
  void tiesGoToTheEarlierEntryAndComplementIsTheRest() {
    float[] scores = new float[10]; // all equal
    boolean[] image = new boolean[10];
    Arrays.fill(image, true);
    int[] kept = KvSelector.lookm(scores, image, new KvBudget(10, 3, 2));
    assertThat(kept).containsExactly(0, 1, 2, 8, 9);
    assertThat(KvSelector.complement(kept, 10)).containsExactly(3, 4, 5, 6, 7);
  }

  static boolean[] randomLayout(SplittableRandom r, int n) {
    boolean[] image = new boolean[n];
    int i = 0;
    while (i < n) {
      int run = 1 + r.nextInt(60);
      boolean img = r.nextBoolean();
      for (int j = i; j < Math.min(n, i + run); j++) {
        image[j] = img;
      }
      i += run;
    }
    return image;
  }

  private static float[] randomScores(SplittableRandom r, int n) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = r.nextInt(50) / 7f; // repeats: ties happen
    }
    return s;
  }

  private static boolean[] mask(int[] kept, int n) {
    boolean[] m = new boolean[n];
    for (int k : kept) {
      m[k] = true;
    }
    return m;
  }

  private static void assertAscending(int[] kept, String what) {
    for (int i = 1; i < kept.length; i++) {
      assertThat(kept[i]).as(what).isGreaterThan(kept[i - 1]);
    }
  }
}
