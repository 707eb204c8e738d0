package dev.longshot.vlm.attention.sparse;

import java.util.Arrays;

/**
 * A set of key positions that every row of a {@link RowTask} scans, in ascending order: either the strided run
 * {@code start + t * stride} for {@code t < count} (stride 1 is a contiguous block run, stride S is one phase of a
 * grid, i.e. the keys that the phase permutation makes contiguous) or an explicit ascending list (gathered
 * vertical columns). Row {@code i} keeps key {@code j} of the span only when {@code minLag <= i - j < maxLag}; with
 * {@code minLag >= 0} that includes causality, and a finite {@code maxLag} is a local window. The tiles of a
 * contiguous span end at multiples of 64 ({@link #range}), so they line up with the 64x64 blocks, except for a
 * {@link #run}, whose tiles are 64 keys from its start wherever that is (a vertical-slash range starts anywhere:
 * aligned tiles would split each 64-key range into two part tiles, each costing a full tile). Immutable.
 */
public final class KeySpan {
  /** No upper bound on {@code i - j}. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final int start;
  private final int stride;
  private final int count;
  private final int[] list;
  private final int minLag;
  private final int maxLag;
  private final boolean aligned;

  private KeySpan(int start, int stride, int count, int[] list, int minLag, int maxLag) {
    this(start, stride, count, list, minLag, maxLag, true);
  }

  private KeySpan(int start, int stride, int count, int[] list, int minLag, int maxLag, boolean aligned) {
    if (count < 0 || stride < 1 || minLag < 0 || maxLag <= minLag) {
      throw new IllegalArgumentException("bad key span: start=" + start + " stride=" + stride + " count=" + count
          + " lags=[" + minLag + "," + maxLag + ")");
    }
    this.start = start;
    this.stride = stride;
    this.count = count;
    this.list = list;
    this.minLag = minLag;
    this.maxLag = maxLag;
    this.aligned = aligned;
  }

  /** Keys {@code [from, to)} (empty when {@code to <= from}), causal. */
  public static KeySpan range(int from, int to) {
    return new KeySpan(from, 1, Math.max(0, to - from), null, 0, UNBOUNDED);
  }

  /** Keys {@code [from, to)}, causal, in tiles of 64 keys from {@code from} (not aligned to the 64x64 blocks). */
  public static KeySpan run(int from, int to) {
    return new KeySpan(from, 1, Math.max(0, to - from), null, 0, UNBOUNDED, false);
  }

  /** Keys {@code [from, to)} that lie less than {@code window} before the row (a local band). */
  public static KeySpan window(int from, int to, int window) {
    return new KeySpan(from, 1, Math.max(0, to - from), null, 0, window);
  }

  /** Keys {@code start + t*stride < end} at least {@code minLag} before the row. */
  public static KeySpan strided(int start, int end, int stride, int minLag) {
    int count = end <= start ? 0 : (end - start + stride - 1) / stride;
    return new KeySpan(start, stride, count, null, minLag, UNBOUNDED);
  }

  /** The ascending keys {@code keys} (copied), causal. */
  public static KeySpan list(int[] keys) {
    for (int t = 1; t < keys.length; t++) {
      if (keys[t] <= keys[t - 1]) {
        throw new IllegalArgumentException("key list must ascend strictly, got " + keys[t] + " after " + keys[t - 1]);
      }
    }
    return new KeySpan(0, 1, keys.length, keys.clone(), 0, UNBOUNDED);
  }

  public int count() {
    return count;
  }

  /**
   * Keys in the tile that starts at index {@code t}: up to 64, and for a contiguous run only up to the next
   * absolute multiple of 64, so the tiles of contiguous spans line up with the 64x64 blocks.
   */
  public int tileLength(int t) {
    int rest = Math.min(BlockSparseKernel.BLOCK, count - t);
    if (list == null && stride == 1 && aligned) {
      return Math.min(rest, BlockSparseKernel.BLOCK - Math.floorMod(start + t, BlockSparseKernel.BLOCK));
    }
    return rest;
  }

  /** The {@code t}-th key position. */
  public int key(int t) {
    return list != null ? list[t] : start + t * stride;
  }

  public int minLag() {
    return minLag;
  }

  public int maxLag() {
    return maxLag;
  }

  /** Whether row {@code i} keeps key {@code j} through this span. */
  public boolean keeps(int i, int j) {
    long lag = (long) i - j;
    if (lag < minLag || lag >= maxLag) {
      return false;
    }
    if (list != null) {
      return Arrays.binarySearch(list, j) >= 0;
    }
    return j >= start && (j - start) % stride == 0 && (j - start) / stride < count;
  }

  @Override
  public String toString() {
    return (list != null ? "list" + list.length : "[" + start + "+" + stride + "*" + count + "]")
        + (aligned ? "" : " unaligned") + " lag[" + minLag
        + "," + (maxLag == UNBOUNDED ? "inf" : maxLag) + ")";
  }
}
