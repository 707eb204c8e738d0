package dev.longshot.vlm.attention.sparse;

import java.util.ArrayList;
import java.util.List;

/** Row-block arithmetic shared by the patterns. */
final class Blocks {
  private Blocks() {}

  /** Rounds {@code x} up to a multiple of 64. */
  static int roundUp(int x) {
    int b = BlockSparseKernel.BLOCK;
    return (x + b - 1) / b * b;
  }

  /** Rounds {@code x} down to a multiple of 64. */
  static int roundDown(int x) {
    return Math.floorDiv(x, BlockSparseKernel.BLOCK) * BlockSparseKernel.BLOCK;
  }

  /**
   * Start of a local-window key span for rows from {@code m0}: the first key any row can keep, rounded down to a
   * 64-key tile boundary (the span's lag bound still masks each row exactly) so tiles line up with the blocks.
   */
  static int windowStart(int floor, int m0, int window) {
    return Math.max(floor, roundDown(m0 - window + 1));
  }

  /**
   * Rows {@code [q0, q1)} cut at absolute multiples of 64 and additionally at each of {@code cuts} (ascending
   * values outside the range are ignored): {@code [from, to)} pairs.
   */
  static List<int[]> rowBlocks(int q0, int q1, int... cuts) {
    List<int[]> out = new ArrayList<>();
    int m0 = q0;
    while (m0 < q1) {
      int m1 = Math.min(q1, (m0 / BlockSparseKernel.BLOCK + 1) * BlockSparseKernel.BLOCK);
      for (int c : cuts) {
        if (c > m0 && c < m1) {
          m1 = c;
        }
      }
      out.add(new int[] {m0, m1});
      m0 = m1;
    }
    return out;
  }
}
