package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the mapped Q8_0 and Q4_0 tensors share: the file's blocks read in place ({@code s}), each block's f16 scale,
 * and decode's products ({@link #dotRows}) on an interleaved copy of the matrix ({@link Interleaved}, made on the
 * first product).
 */
abstract sealed class MappedQuantTensor extends FloatTensor permits MappedQ8Tensor, MappedQ4Tensor {
  final MemorySegment s;
  private final long blockBytes;
  private final Interleaved.Rows rows;

  MappedQuantTensor(GgmlType type, MemorySegment s, long size, Arena arena) {
    super(size);
    this.s = s;
    this.blockBytes = type.bytesPerBlock();
    this.rows = new Interleaved.Rows(type, size, s, arena, this::dot);
  }

  /** The scale of block {@code block}. */
  final float scale(long block) {
    return f16(s.get(MappedHalfTensor.SHORT_LE, block * blockBytes));
  }

  @Override
  public final boolean dotsQuantized() {
    return QuantDot.ENABLED;
  }

  @Override
  public final void dotRows(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, !Interleaved.ENABLED);
  }

  @Override
  final void dotRowsScalar(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, true);
  }
}
