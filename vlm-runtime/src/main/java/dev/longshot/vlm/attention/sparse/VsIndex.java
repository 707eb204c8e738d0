package dev.longshot.vlm.attention.sparse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The vertical and slash lines chosen for one (query group, key group) of a vertical-slash head, and their 64x64
 * block index (MInference {@code vertical_slash_index.cu}): for the row block ending at {@code m1} (padded to a
 * multiple of 64), each slash offset {@code sigma < m1} covers keys {@code [e - 64, e)} with
 * {@code e = max(m1 - sigma, 64)}; the ranges are merged, and verticals outside every range become gathered columns.
 * The block index (not the single diagonals) is the exact mask the kernel computes: {@code keep(i,j) = j <= i and
 * (j in verticals or j in ranges(block of i))}, which contains every {@code (i, i - sigma)}. Immutable.
 */
public record VsIndex(int[] verticals, int[] slashes) {
  public VsIndex {
    verticals = verticals.clone();
    slashes = slashes.clone();
    Arrays.sort(verticals);
    Arrays.sort(slashes);
  }

  /** The padded end of the row block holding row {@code i}. */
  static int blockEnd(int i) {
    return (i / BlockSparseKernel.BLOCK + 1) * BlockSparseKernel.BLOCK;
  }

  /** Merged key ranges {@code [from, to)} of the row block ending at {@code m1}, ascending. */
  public List<int[]> ranges(int m1) {
    List<int[]> out = new ArrayList<>();
    // ascending m1 - sigma = descending sigma
    for (int t = slashes.length - 1; t >= 0; t--) {
      int sigma = slashes[t];
      if (sigma >= m1) {
        continue;
      }
      int e = Math.max(m1 - sigma, BlockSparseKernel.BLOCK);
      int b = e - BlockSparseKernel.BLOCK;
      int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && b <= last[1]) {
        last[1] = Math.max(last[1], e);
      } else {
        out.add(new int[] {b, e});
      }
    }
    return out;
  }

  /** Verticals below {@code limit} that no range covers. */
  public int[] columns(List<int[]> ranges, int limit) {
    // verticals ascend and the merged ranges ascend and are disjoint: one walk over both
    int[] out = new int[verticals.length];
    int n = 0;
    int r = 0;
    for (int j : verticals) {
      if (j >= limit) {
        break;
      }
      while (r < ranges.size() && ranges.get(r)[1] <= j) {
        r++;
      }
      if (r == ranges.size() || j < ranges.get(r)[0]) {
        out[n++] = j;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The exact mask, straight from the definition (slow: for tests). */
  public boolean keeps(int i, int j) {
    if (j > i) {
      return false;
    }
    if (Arrays.binarySearch(verticals, j) >= 0) {
      return true;
    }
    int m1 = blockEnd(i);
    for (int sigma : slashes) {
      if (sigma < m1) {
        int e = Math.max(m1 - sigma, BlockSparseKernel.BLOCK);
        if (j >= e - BlockSparseKernel.BLOCK && j < e) {
          return true;
        }
      }
    }
    return false;
  }
}
