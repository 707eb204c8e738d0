package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml Q4_0 read in place: the file's 18-byte blocks (f16 scale, 16 bytes of nibbles; layout in {@link GgmlType}).
 * The same loops, and summation order, as the heap {@link Q4Tensor}.
 */
final class MappedQ4Tensor extends MappedQuantTensor {
  private static final int BLOCK = GgmlType.Q4_0.blockSize();
  private static final long BLOCK_BYTES = GgmlType.Q4_0.bytesPerBlock();
  private static final int FL = Kernels.F.length();
  private static final int PARTS = Math.max(1, 16 / FL);

  MappedQ4Tensor(MemorySegment s, long size, Arena arena) {
    super(GgmlType.Q4_0, s, size, arena);
  }

  @Override
  public GgmlType type() {
    return GgmlType.Q4_0;
  }

  @Override
  public float get(long index) {
    long block = index / BLOCK;
    int j = (int) (index % BLOCK);
    int q = s.get(ValueLayout.JAVA_BYTE, block * BLOCK_BYTES + 2 + (j & 15)) & 0xFF;
    int nibble = j < 16 ? q & 0x0F : q >>> 4;
    return scale(block) * (nibble - 8);
  }

  @Override
  public float dot(long offset, Q8Activation x) {
    return MappedQuantDot.q4(s, (int) offset, x, x.length());
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    if (offset % BLOCK != 0 || FL > 16) {
      return dotScalar(offset, x, xOffset, n);
    }
    int blocks = n / BLOCK;
    long firstBlock = offset / BLOCK;
    FloatVector acc = FloatVector.zero(Kernels.F);
    for (int b = 0; b < blocks; b++) {
      int xb = xOffset + b * BLOCK;
      long base = (firstBlock + b) * BLOCK_BYTES;
      ByteVector q = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, s, base + 2, ByteOrder.LITTLE_ENDIAN);
      ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
      ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
      FloatVector sum = FloatVector.zero(Kernels.F);
      for (int p = 0; p < PARTS; p++) {
        FloatVector l = (FloatVector) lo.convertShape(VectorOperators.B2F, Kernels.F, p);
        FloatVector h = (FloatVector) hi.convertShape(VectorOperators.B2F, Kernels.F, p);
        sum = l.fma(FloatVector.fromArray(Kernels.F, x, xb + p * FL), sum);
        sum = h.fma(FloatVector.fromArray(Kernels.F, x, xb + 16 + p * FL), sum);
      }
      acc = sum.fma(FloatVector.broadcast(Kernels.F, scale(firstBlock + b)), acc);
    }
    float total = acc.reduceLanes(VectorOperators.ADD);
    for (int i = blocks * BLOCK; i < n; i++) {
      total += get(offset + i) * x[xOffset + i];
    }
    return total;
  }

  @Override
  void copyStored(long offset, float[] dst, int dstOffset, int n) {
    int i = 0;
    if (offset % BLOCK == 0) {
      for (; i + BLOCK <= n; i += BLOCK) {
        long block = (offset + i) / BLOCK;
        float d = scale(block);
        long base = block * BLOCK_BYTES + 2;
        for (int j = 0; j < 16; j++) {
          int v = s.get(ValueLayout.JAVA_BYTE, base + j) & 0xFF;
          dst[dstOffset + i + j] = d * ((v & 0x0F) - 8);
          dst[dstOffset + i + j + 16] = d * ((v >>> 4) - 8);
        }
      }
    }
    for (; i < n; i++) {
      dst[dstOffset + i] = get(offset + i);
    }
  }
}
