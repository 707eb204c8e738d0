package dev.longshot.vlm.kv;

import java.util.Arrays;

/**
 * Which prompt entries of one (layer, kv head) survive compression: strictly ascending entry indices. Ties in
 * score go to the earlier position. Stateless.
 */
public final class KvSelector {
  private KvSelector() {}

  /**
   * LOOK-M's text prior, as the reference code behaves and the research note recommends stating it: keep every
   * text entry, keep the recent window, then fill the {@code max(0, heavy - T)} remaining slots (T = text entries
   * outside the window) with the image entries of highest score. The kept count is
   * {@code recent + T + min(images outside the window, max(0, heavy - T))}, so text can exceed the budget (as in
   * the reference). Done as an explicit two-tier choice in float32 instead of the reference's
   * {@code -65516} offset, whose fp16/bf16 rounding made the image ranking a near tie-break.
   */
  public static int[] lookm(float[] scores, boolean[] image, KvBudget b) {
    int start = b.recentStart();
    int text = 0;
    int images = 0;
    for (int i = 0; i < start; i++) {
      if (image[i]) {
        images++;
      } else {
        text++;
      }
    }
    int[] candidates = new int[images];
    for (int i = 0, c = 0; i < start; i++) {
      if (image[i]) {
        candidates[c++] = i;
      }
    }
    boolean[] keep = new boolean[b.promptLength()];
    for (int i = 0; i < start; i++) {
      keep[i] = !image[i];
    }
    markTop(scores, candidates, Math.max(0, b.heavy() - text), keep);
    return keptFrom(keep, start);
  }

  /** H2O: the {@code heavy} entries of highest score before the recent window, plus the window; no text prior. */
  public static int[] h2o(float[] scores, KvBudget b) {
    int start = b.recentStart();
    int[] candidates = new int[start];
    for (int i = 0; i < start; i++) {
      candidates[i] = i;
    }
    boolean[] keep = new boolean[b.promptLength()];
    markTop(scores, candidates, b.heavy(), keep);
    return keptFrom(keep, start);
  }

  /** The last {@code heavy + recent} entries only (recent-window baseline). */
  public static int[] recent(KvBudget b) {
    int from = Math.max(0, b.promptLength() - b.total());
    int[] kept = new int[b.promptLength() - from];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = from + i;
    }
    return kept;
  }

  /** The entries of {@code [0, length)} not in {@code kept} (ascending). */
  public static int[] complement(int[] kept, int length) {
    int[] out = new int[length - kept.length];
    int k = 0;
    int o = 0;
    for (int i = 0; i < length; i++) {
      if (k < kept.length && kept[k] == i) {
        k++;
      } else {
        out[o++] = i;
      }
    }
    return out;
  }

  /** Marks the {@code count} candidates of highest score (ties: earlier position). */
  private static void markTop(float[] scores, int[] candidates, int count, boolean[] keep) {
    if (count >= candidates.length) {
      for (int c : candidates) {
        keep[c] = true;
      }
      return;
    }
    Integer[] order = Arrays.stream(candidates).boxed().toArray(Integer[]::new);
    Arrays.sort(order, (a, c) -> {
      int byScore = Float.compare(scores[c], scores[a]);
      return byScore != 0 ? byScore : Integer.compare(a, c);
    });
    for (int i = 0; i < count; i++) {
      keep[order[i]] = true;
    }
  }

  private static int[] keptFrom(boolean[] keep, int recentStart) {
    Arrays.fill(keep, recentStart, keep.length, true);
    int n = 0;
    for (boolean k : keep) {
      n += k ? 1 : 0;
    }
    int[] out = new int[n];
    for (int i = 0, o = 0; i < keep.length; i++) {
      if (keep[i]) {
        out[o++] = i;
      }
    }
    return out;
  }
}
