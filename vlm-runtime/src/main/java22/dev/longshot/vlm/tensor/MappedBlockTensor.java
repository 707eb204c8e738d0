package dev.longshot.vlm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@link BlockDecoder} type read in place from the mapped file: each block's bytes are copied into a per-thread
 * buffer of one block and decoded there, with the heap {@link BlockTensor}'s code.
 */
final class MappedBlockTensor extends BlockQuantTensor {
  private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[256]);

  private final MemorySegment s;
  private final int bytesPerBlock;

  MappedBlockTensor(GgmlType type, MemorySegment s, long size) {
    super(type, size);
    this.s = s;
    this.bytesPerBlock = type.bytesPerBlock();
  }

  @Override
  void decodeBlock(int index, float[] dst, int dstOffset) {
    byte[] b = BYTES.get();
    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, (long) index * bytesPerBlock, b, 0, bytesPerBlock);
    BlockDecoder.decode(type, b, 0, dst, dstOffset);
  }
}
