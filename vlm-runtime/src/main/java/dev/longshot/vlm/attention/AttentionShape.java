package dev.longshot.vlm.attention;

/**
 * Head layout of one attention layer: {@code heads} query heads share {@code kvHeads} key/value heads in groups of
 * {@code heads / kvHeads} (grouped-query attention); every head has {@code headDim} dimensions.
 */
public record AttentionShape(int heads, int kvHeads, int headDim) {
  public AttentionShape {
    if (heads < 1 || kvHeads < 1 || headDim < 1 || heads % kvHeads != 0) {
      throw new IllegalArgumentException("bad attention shape: heads=" + heads + " kvHeads=" + kvHeads
          + " headDim=" + headDim + " (heads must be a multiple of kvHeads)");
    }
  }

  /** Query heads per key/value head. */
  public int group() {
    return heads / kvHeads;
  }

  /** The key/value head that query head {@code head} reads. */
  public int kvHeadOf(int head) {
    return head / group();
  }

  /** {@code 1/sqrt(headDim)}, the softmax temperature of scaled dot-product attention. */
  public float scale() {
    return (float) (1.0 / Math.sqrt(headDim));
  }
}
