package dev.longshot.vlm.sample;

import java.util.Arrays;
import java.util.Random;

/**
 * The sampler chain, in llama.cpp's order: repetition penalty, then greedy argmax (temperature 0) or temperature,
 * top-k, softmax, top-p and a seeded draw. One instance per generation; not thread-safe.
 */
public final class Sampler {
  private final GenerationSettings s;
  private final Random random;

  public Sampler(GenerationSettings settings) {
    this.s = settings;
    this.random = new Random(settings.seed());
  }

  /**
   * Picks the next token from {@code logits} (modified in place by the penalty) given the {@code historyLength}
   * tokens generated or prompted so far in {@code history}.
   */
  public int sample(float[] logits, int[] history, int historyLength) {
    applyRepetitionPenalty(logits, history, historyLength);
    if (s.temperature() == 0f) {
      return argmax(logits);
    }
    Integer[] order = candidates(logits);
    int k = s.topK() > 0 ? Math.min(s.topK(), order.length) : order.length;
    double max = logits[order[0]];
    double[] p = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp((logits[order[i]] - max) / s.temperature());
      sum += p[i];
    }
    int keep = k;
    double cumulative = 0;
    for (int i = 0; i < k; i++) {
      cumulative += p[i] / sum;
      if (cumulative >= s.topP()) {
        keep = i + 1;
        break;
      }
    }
    double kept = 0;
    for (int i = 0; i < keep; i++) {
      kept += p[i];
    }
    double r = random.nextDouble() * kept;
    for (int i = 0; i < keep; i++) {
      r -= p[i];
      if (r <= 0) {
        return order[i];
      }
    }
    return order[keep - 1];
  }

  private void applyRepetitionPenalty(float[] logits, int[] history, int historyLength) {
    float penalty = s.repetitionPenalty();
    if (penalty == 1f || s.repeatLastN() == 0) {
      return;
    }
    boolean[] seen = new boolean[logits.length];
    for (int i = Math.max(0, historyLength - s.repeatLastN()); i < historyLength; i++) {
      int t = history[i];
      if (t >= 0 && t < logits.length && !seen[t]) {
        seen[t] = true;
        logits[t] = logits[t] > 0 ? logits[t] / penalty : logits[t] * penalty;
      }
    }
  }

  /** Token ids sorted by descending logit (only the top k when top-k is on). */
  private Integer[] candidates(float[] logits) {
    Integer[] ids = new Integer[logits.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    Arrays.sort(ids, (a, b) -> Float.compare(logits[b], logits[a]));
    return ids;
  }

  /** Index of the largest logit (the lowest index on ties). */
  public static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
