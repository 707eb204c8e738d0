package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@link BlockDecoder} type read in place from the mapped file: a run of at most {@link #RUN} blocks is copied into
 * a per-thread buffer (a few KiB, stays in L1) and read there by the heap {@link BlockTensor}'s kernels. Q4_K,
 * Q6_K, Q5_0 and Q4_1 matrices get an interleaved copy at load ({@link #buildLayout}, {@link Interleaved}) that decode's products
 * and the dequantisation of whole row groups read instead.
 */
final class MappedBlockTensor extends BlockQuantTensor {
  private static final int RUN = 16;
  private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[RUN * 256]);

  private final MemorySegment s;
  private final Interleaved.Rows rows;

  MappedBlockTensor(GgmlType type, MemorySegment s, long size, Arena arena) {
    super(type, size);
    this.s = s;
    this.rows = new Interleaved.Rows(type, size, s, arena, this::dot);
  }

  @Override
  public long layoutBytes(int cols) {
    return rows.bytes(cols);
  }

  @Override
  public void buildLayout(int cols, Parallel par) {
    rows.prepare(cols, par);
  }

  @Override
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    int done = rows.copy(offset, dst, dstOffset, n);
    if (done < n) {
      super.copyTo(offset + done, dst, dstOffset + done, n - done);
    }
  }

  @Override
  public void dotRows(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, !Interleaved.ENABLED);
  }

  @Override
  void dotRowsScalar(int firstRow, int count, Q8Activation x, float[] out) {
    rows.dotRows(firstRow, count, x, out, true);
  }

  @Override
  int blockBase(int first, int count) {
    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, (long) first * bytesPerBlock, BYTES.get(), 0, count * bytesPerBlock);
    return 0;
  }

  @Override
  byte[] blockArray() {
    return BYTES.get();
  }

  @Override
  int maxRun() {
    return RUN;
  }

  /** The interleaved copy of the matrix once built at load, else null: for prefill's {@link BlockedBf16}. */
  final Interleaved layout() {
    return rows.layout();
  }
}
