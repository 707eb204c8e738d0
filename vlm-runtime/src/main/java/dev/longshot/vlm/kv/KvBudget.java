package dev.longshot.vlm.kv;

/**
 * How many of a prompt's {@code promptLength} KV entries a compressing policy keeps per head: {@code heavy} chosen
 * by score (LOOK-M's {@code hh_size = floor(L * hh_ratio)}) plus the last {@code recent} entries
 * ({@code recent_size = floor(L * recent_ratio)}, at least 1: the reference's masks break at 0).
 */
public record KvBudget(int promptLength, int heavy, int recent) {
  public KvBudget {
    if (promptLength < 0 || heavy < 0 || recent < 1) {
      throw new IllegalArgumentException("bad KV budget: promptLength=" + promptLength + " heavy=" + heavy
          + " recent=" + recent);
    }
  }

  /**
   * The budget for {@code promptLength} entries keeping share {@code budget} of them, {@code recentShare} of that
   * as the recent window: LOOK-M's default {@code hh_ratio = recent_ratio = 0.1} is budget 0.2, recent share 0.5.
   */
  public static KvBudget of(int promptLength, double budget, double recentShare) {
    if (!(budget > 0 && budget <= 1) || !(recentShare > 0 && recentShare <= 1)) {
      throw new IllegalArgumentException("budget and recent share must be in (0, 1], got " + budget + " and "
          + recentShare);
    }
    int recent = Math.max(1, (int) Math.floor(promptLength * budget * recentShare));
    int heavy = (int) Math.floor(promptLength * budget * (1 - recentShare));
    return new KvBudget(promptLength, heavy, recent);
  }

  /** Entries the budget allows: {@code heavy + recent}. */
  public int total() {
    return heavy + recent;
  }

  /** True when the prompt fits the budget, so nothing is compressed (the reference's {@code L <= cache_size}). */
  public boolean keepsAll() {
    return promptLength <= total();
  }

  /** First position of the recent window. */
  public int recentStart() {
    return Math.max(0, promptLength - recent);
  }
}
