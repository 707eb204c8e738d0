package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q8_0 read in place: the file's 34-byte blocks (f16 scale, 32 signed bytes). The same loops, and summation
 * order, as the heap {@link Q8Tensor}, which holds the scales and quants apart.
 */
final class MappedQ8Tensor extends MappedQuantTensor {
  private static final int BLOCK = GgmlType.Q8_0.blockSize();
  private static final long BLOCK_BYTES = GgmlType.Q8_0.bytesPerBlock();
  private static final int FL = Kernels.F.length();
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FL * 8)));
  private static final int PARTS = B.length() / FL;

  MappedQ8Tensor(MemorySegment s, long size, Arena arena) {
    super(GgmlType.Q8_0, s, size, arena);
  }

  @Override
  public GgmlType type() {
    return GgmlType.Q8_0;
  }

  @Override
  public float get(long index) {
    long block = index / BLOCK;
    return scale(block) * s.get(ValueLayout.JAVA_BYTE, block * BLOCK_BYTES + 2 + index % BLOCK);
  }

  @Override
  public float dot(long offset, Q8Activation x) {
    return MappedQuantDot.q8(s, (int) offset, x, x.length());
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    if (offset % BLOCK != 0) {
      return dotScalar(offset, x, xOffset, n);
    }
    int blocks = n / BLOCK;
    long firstBlock = offset / BLOCK;
    FloatVector acc = FloatVector.zero(Kernels.F);
    for (int b = 0; b < blocks; b++) {
      long base = (firstBlock + b) * BLOCK_BYTES;
      int xb = xOffset + b * BLOCK;
      FloatVector sum = FloatVector.zero(Kernels.F);
      for (int j = 0; j < BLOCK; j += B.length()) {
        ByteVector qv = ByteVector.fromMemorySegment(B, s, base + 2 + j, ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < PARTS; p++) {
          FloatVector qf = (FloatVector) qv.convertShape(VectorOperators.B2F, Kernels.F, p);
          sum = qf.fma(FloatVector.fromArray(Kernels.F, x, xb + j + p * FL), sum);
        }
      }
      acc = sum.fma(FloatVector.broadcast(Kernels.F, scale(firstBlock + b)), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (int i = blocks * BLOCK; i < n; i++) {
      sum += get(offset + i) * x[xOffset + i];
    }
    return sum;
  }

  @Override
  void copyStored(long offset, float[] dst, int dstOffset, int n) {
    int i = 0;
    if (offset % BLOCK == 0) {
      for (; i + BLOCK <= n; i += BLOCK) {
        long block = (offset + i) / BLOCK;
        float d = scale(block);
        long base = block * BLOCK_BYTES + 2;
        for (int j = 0; j < BLOCK; j++) {
          dst[dstOffset + i + j] = d * s.get(ValueLayout.JAVA_BYTE, base + j);
        }
      }
    }
    for (; i < n; i++) {
      dst[dstOffset + i] = get(offset + i);
    }
  }
}
