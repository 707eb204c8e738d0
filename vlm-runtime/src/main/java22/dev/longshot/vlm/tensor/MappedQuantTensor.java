package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the mapped Q8_0 and Q4_0 tensors share: the file's blocks read in place ({@code s}), each block's f16 scale,
 * and decode's products ({@link #dotRows}) and the dequantisation of whole row groups ({@link #copyTo}) on an
 * interleaved copy of the matrix ({@link Interleaved}, built at load by {@link #buildLayout}).
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
  public final long layoutBytes(int cols) {
    return rows.bytes(cols);
  }

  @Override
  public final void buildLayout(int cols, Parallel par) {
    rows.prepare(cols, par);
  }

  @Override
  public final void copyTo(long offset, float[] dst, int dstOffset, int n) {
    int done = rows.copy(offset, dst, dstOffset, n);
    if (done < n) {
      copyStored(offset + done, dst, dstOffset + done, n - done);
    }
  }

  /** {@link #copyTo} from the file's blocks. */
  abstract void copyStored(long offset, float[] dst, int dstOffset, int n);

  @Override
  public final void dotRows(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, !Interleaved.ENABLED);
  }

  @Override
  final void dotRowsScalar(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, true);
  }

  /** The interleaved copy of the matrix once built at load, else null: for prefill's {@link BlockedBf16}. */
  final Interleaved layout() {
    return rows.layout();
  }
}
