package dev.longshot.vlm.attention;

/** The pair of strategies a forward pass uses: one for prefill batches, one for single-token decode steps. */
public record AttentionStrategies(PrefillAttention prefill, DecodeAttention decode) {
  public AttentionStrategies {
    if (prefill == null || decode == null) {
      throw new IllegalArgumentException("both a prefill and a decode strategy are needed");
    }
  }

  /** Exact dense attention for both phases (the reference). */
  public static AttentionStrategies dense() {
    DenseAttention d = new DenseAttention();
    return new AttentionStrategies(d, d);
  }
}
