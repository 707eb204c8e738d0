package dev.longshot.vlm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** IEEE float32 weights read in place from the mapped file; the same loop (and summation order) as {@link F32Tensor}. */
final class MappedF32Tensor extends FloatTensor {
  static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private final MemorySegment s;

  MappedF32Tensor(MemorySegment s, long size) {
    super(size);
    this.s = s;
  }

  @Override
  public GgmlType type() {
    return GgmlType.F32;
  }

  @Override
  public float get(long index) {
    return s.getAtIndex(FLOAT_LE, index);
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    int len = Kernels.F.length();
    int upper = Kernels.F.loopBound(n);
    FloatVector acc0 = FloatVector.zero(Kernels.F);
    FloatVector acc1 = FloatVector.zero(Kernels.F);
    long base = (long) offset * Float.BYTES;
    long step = (long) len * Float.BYTES;
    int i = 0;
    for (; i + len < upper; i += 2 * len) {
      long o = base + (long) i * Float.BYTES;
      acc0 = FloatVector.fromMemorySegment(Kernels.F, s, o, LE)
          .fma(FloatVector.fromArray(Kernels.F, x, xOffset + i), acc0);
      acc1 = FloatVector.fromMemorySegment(Kernels.F, s, o + step, LE)
          .fma(FloatVector.fromArray(Kernels.F, x, xOffset + i + len), acc1);
    }
    for (; i < upper; i += len) {
      acc0 = FloatVector.fromMemorySegment(Kernels.F, s, base + (long) i * Float.BYTES, LE)
          .fma(FloatVector.fromArray(Kernels.F, x, xOffset + i), acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum += get(offset + i) * x[xOffset + i];
    }
    return sum;
  }

  @Override
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    MemorySegment.copy(s, FLOAT_LE, offset * Float.BYTES, dst, dstOffset, n);
  }
}
