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
