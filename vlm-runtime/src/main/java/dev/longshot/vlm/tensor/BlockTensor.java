package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;

/** A {@link BlockDecoder} type held on the heap: the file's blocks copied as they are into one byte array. */
final class BlockTensor extends BlockQuantTensor {
  private final byte[] blocks;

  private BlockTensor(GgmlType type, byte[] blocks, long size) {
    super(type, size);
    this.blocks = blocks;
  }

  /** Copies {@code type.byteSize(n)} bytes from {@code b}'s start (checked by the caller). */
  static BlockTensor copy(GgmlType type, ByteBuffer b, int n) {
    byte[] a = new byte[(int) type.byteSize(n)];
    b.get(0, a);
    return new BlockTensor(type, a, n);
  }

  @Override
  int blockBase(int first, int count) {
    return first * bytesPerBlock;
  }

  @Override
  byte[] blockArray() {
    return blocks;
  }

  @Override
  int maxRun() {
    return Integer.MAX_VALUE;
  }
}
