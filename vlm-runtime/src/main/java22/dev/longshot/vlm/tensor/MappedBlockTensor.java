package dev.longshot.vlm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@link BlockDecoder} type read in place from the mapped file: a run of at most {@link #RUN} blocks is copied into
 * a per-thread buffer (a few KiB, stays in L1) and read there by the heap {@link BlockTensor}'s kernels.
 */
final class MappedBlockTensor extends BlockQuantTensor {
  private static final int RUN = 16;
  private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[RUN * 256]);

  private final MemorySegment s;

  MappedBlockTensor(GgmlType type, MemorySegment s, long size) {
    super(type, size);
    this.s = s;
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
}
