package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;

/** A {@link BlockDecoder} type held on the heap: the file's blocks copied as they are into one byte array. */
final class BlockTensor extends BlockQuantTensor {
  private final byte[] blocks;
  private final int bytesPerBlock;

  private BlockTensor(GgmlType type, byte[] blocks, long size) {
    super(type, size);
    this.blocks = blocks;
    this.bytesPerBlock = type.bytesPerBlock();
  }

  /** Copies {@code type.byteSize(n)} bytes from {@code b}'s start (checked by the caller). */
  static BlockTensor copy(GgmlType type, ByteBuffer b, int n) {
    byte[] a = new byte[(int) type.byteSize(n)];
    b.get(0, a);
    return new BlockTensor(type, a, n);
  }

  @Override
  void decodeBlock(int index, float[] dst, int dstOffset) {
    BlockDecoder.decode(type, blocks, index * bytesPerBlock, dst, dstOffset);
  }
}
