package dev.longshot.vlm.attention.sparse;

/**
 * The grid permutation of MMInference: positions {@code [start, start + length)} ({@code length} a multiple of
 * {@code stride}) reordered by phase, so that position {@code start + t*stride + p} moves to slot
 * {@code p * (length/stride) + t} ({@code idx.reshape(-1, stride).T.flatten()}). After it, the keys (or rows) of one
 * phase - one family of grid lines - are one contiguous band of {@code length/stride} slots: the kernel gathers a
 * band into dense 64-wide tiles and writes results back to the original rows, which is the un-permute.
 */
public record PhasePermutation(int start, int length, int stride) {
  public PhasePermutation {
    if (stride < 1 || length < 0 || length % stride != 0) {
      throw new IllegalArgumentException("phase permutation needs length (" + length + ") a multiple of stride ("
          + stride + ")");
    }
  }

  /** Lines per phase. */
  public int perPhase() {
    return length / stride;
  }

  /** The slot that {@code position} moves to. */
  public int slotOf(int position) {
    int off = position - start;
    return (off % stride) * perPhase() + off / stride;
  }

  /** The position that lands in {@code slot} (the inverse of {@link #slotOf}). */
  public int positionAt(int slot) {
    return start + (slot % perPhase()) * stride + slot / perPhase();
  }

  /** Band {@code phase} (slots {@code [phase*perPhase, (phase+1)*perPhase)}) as keys at least {@code minLag} back. */
  public KeySpan band(int phase, int minLag) {
    return KeySpan.strided(start + phase, start + length, stride, minLag);
  }

  /** Slots {@code [from, from + count)} of band {@code phase} as rows (at most 64). */
  public int[] bandRows(int phase, int from, int count) {
    return RowTask.rows(positionAt(phase * perPhase() + from), stride, count);
  }
}
