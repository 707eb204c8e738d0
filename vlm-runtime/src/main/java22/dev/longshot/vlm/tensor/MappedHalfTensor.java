package dev.longshot.vlm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** F16 or BF16 weights read in place from the mapped file; the dot product is {@link FloatTensor#dotByChunks}. */
final class MappedHalfTensor extends FloatTensor {
  static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final GgmlType type;
  private final MemorySegment s;

  MappedHalfTensor(GgmlType type, MemorySegment s, long size) {
    super(size);
    this.type = type;
    this.s = s;
  }

  @Override
  public GgmlType type() {
    return type;
  }

  @Override
  public float get(long index) {
    short bits = s.getAtIndex(SHORT_LE, index);
    return type == GgmlType.F16 ? f16(bits) : Float.intBitsToFloat(bits << 16);
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    return dotByChunks(offset, x, xOffset, n);
  }
}
