package dev.longshot.vlm.attention.sparse;

/**
 * At most {@value BlockSparseKernel#BLOCK} query rows (absolute positions, ascending) that are gathered into one
 * dense query tile and scan the same key spans in 64-key tiles. The spans of one task must be disjoint key sets
 * (for every row), so the task adds each kept key exactly once. Immutable.
 */
public record RowTask(int[] rows, KeySpan[] spans) {
  public RowTask {
    if (rows.length < 1 || rows.length > BlockSparseKernel.BLOCK) {
      throw new IllegalArgumentException("a row task holds 1.." + BlockSparseKernel.BLOCK + " rows, got "
          + rows.length);
    }
  }

  /** Rows {@code from + t*stride} for {@code t < count}. */
  public static int[] rows(int from, int stride, int count) {
    int[] r = new int[count];
    for (int t = 0; t < count; t++) {
      r[t] = from + t * stride;
    }
    return r;
  }

  /** Whether some span keeps {@code (i, j)}; {@code i} must be one of the rows. */
  public boolean keeps(int i, int j) {
    for (KeySpan s : spans) {
      if (s.keeps(i, j)) {
        return true;
      }
    }
    return false;
  }
}
