package dev.longshot.vlm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantDot}'s integer dot products for Q8_0 / Q4_0 rows read in place from the mapped file's blocks (f16
 * scale, then the quants): the same loops, block sums and order, with the weight bytes loaded from the segment and
 * the scale converted from its f16 (the heap tensors keep it as a float, the same value).
 */
final class MappedQuantDot {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final int BLOCK = Q8Activation.BLOCK;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private MappedQuantDot() {}

  private static float scale(MemorySegment s, long block, long blockBytes) {
    return FloatTensor.f16(s.get(MappedHalfTensor.SHORT_LE, block * blockBytes));
  }

  /** Q8_0: row starting at element {@code offset} (a multiple of 32) of the 34-byte blocks in {@code s}. */
  static float q8(MemorySegment s, int offset, Q8Activation x, int n) {
    long bb = GgmlType.Q8_0.bytesPerBlock();
    long fb = offset / BLOCK;
    if (!Kernels.VECTORIZED) {
      float sum = 0f;
      for (int b = 0; b < n / BLOCK; b++) {
        long base = (fb + b) * bb + 2;
        int isum = 0;
        for (int j = 0; j < BLOCK; j++) {
          isum += s.get(ValueLayout.JAVA_BYTE, base + j) * x.q[b * BLOCK + j];
        }
        sum += scale(s, fb + b, bb) * x.d[b] * isum;
      }
      return sum;
    }
    short[] xq = x.q;
    float[] xd = x.d;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < n / BLOCK; b++) {
      long base = (fb + b) * bb + 2;
      int xb = b * BLOCK;
      ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B, s, base, LE)
          .convertShape(VectorOperators.B2S, S, 0);
      ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B, s, base + 16, LE)
          .convertShape(VectorOperators.B2S, S, 0);
      ShortVector p = w0.mul(ShortVector.fromArray(S, xq, xb)).add(w1.mul(ShortVector.fromArray(S, xq, xb + 16)));
      acc = QuantDot.pairSum(p).fma(FloatVector.broadcast(F, scale(s, fb + b, bb) * xd[b]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** Q4_0: row starting at element {@code offset} (a multiple of 32) of the 18-byte blocks in {@code s}. */
  static float q4(MemorySegment s, int offset, Q8Activation x, int n) {
    long bb = GgmlType.Q4_0.bytesPerBlock();
    long fb = offset / BLOCK;
    if (!Kernels.VECTORIZED) {
      float sum = 0f;
      for (int b = 0; b < n / BLOCK; b++) {
        long base = (fb + b) * bb + 2;
        int isum = 0;
        for (int j = 0; j < 16; j++) {
          int v = s.get(ValueLayout.JAVA_BYTE, base + j) & 0xFF;
          isum += ((v & 0x0F) - 8) * x.q[b * BLOCK + j] + ((v >>> 4) - 8) * x.q[b * BLOCK + 16 + j];
        }
        sum += scale(s, fb + b, bb) * x.d[b] * isum;
      }
      return sum;
    }
    short[] xq = x.q;
    float[] xd = x.d;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < n / BLOCK; b++) {
      int xb = b * BLOCK;
      ShortVector r = (ShortVector) ByteVector.fromMemorySegment(B, s, (fb + b) * bb + 2, LE)
          .convertShape(VectorOperators.B2S, S, 0);
      ShortVector lo = r.and((short) 0x0F).sub((short) 8);
      ShortVector hi = r.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F).sub((short) 8);
      ShortVector p = lo.mul(ShortVector.fromArray(S, xq, xb)).add(hi.mul(ShortVector.fromArray(S, xq, xb + 16)));
      acc = QuantDot.pairSum(p).fma(FloatVector.broadcast(F, scale(s, fb + b, bb) * xd[b]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }
}
