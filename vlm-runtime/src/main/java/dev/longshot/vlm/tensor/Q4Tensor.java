package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml Q4_0: blocks of 32 values in 18 bytes, an f16 scale {@code d} then 16 bytes of nibbles;
 * element {@code j < 16} is {@code d * ((qs[j] & 15) - 8)}, element {@code j + 16} is {@code d * ((qs[j] >> 4) - 8)}.
 * Held as one float scale per block and the 16 nibble bytes of each block back to back.
 */
final class Q4Tensor extends FloatTensor {
  private static final int BLOCK = 32;
  private static final int FL = Kernels.F.length();
  private static final int PARTS = Math.max(1, 16 / FL);

  private final float[] scales;
  private final byte[] qs;

  private Q4Tensor(float[] scales, byte[] qs, long size) {
    super(size);
    this.scales = scales;
    this.qs = qs;
  }

  static Q4Tensor decode(ByteBuffer b, int n) {
    int blocks = n / BLOCK;
    float[] scales = new float[blocks];
    byte[] qs = new byte[blocks * 16];
    for (int i = 0; i < blocks; i++) {
      int base = i * 18;
      scales[i] = f16(b.getShort(base));
      b.get(base + 2, qs, i * 16, 16);
    }
    return new Q4Tensor(scales, qs, n);
  }

  @Override
  public GgmlType type() {
    return GgmlType.Q4_0;
  }

  @Override
  public float get(long index) {
    int i = (int) index;
    int block = i / BLOCK;
    int j = i % BLOCK;
    int q = qs[block * 16 + (j & 15)] & 0xFF;
    int nibble = j < 16 ? q & 0x0F : q >>> 4;
    return scales[block] * (nibble - 8);
  }

  @Override
  public boolean dotsQuantized() {
    return QuantDot.ENABLED;
  }

  @Override
  public float dot(long offset, Q8Activation x) {
    return QuantDot.q4(qs, scales, (int) offset, x, x.length());
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    if (offset % BLOCK != 0 || FL > 16) {
      return dotScalar(offset, x, xOffset, n);
    }
    int blocks = n / BLOCK;
    int firstBlock = offset / BLOCK;
    FloatVector acc = FloatVector.zero(Kernels.F);
    for (int b = 0; b < blocks; b++) {
      int xb = xOffset + b * BLOCK;
      ByteVector q = ByteVector.fromArray(ByteVector.SPECIES_128, qs, (firstBlock + b) * 16);
      ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
      ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
      FloatVector s = FloatVector.zero(Kernels.F);
      for (int p = 0; p < PARTS; p++) {
        FloatVector l = (FloatVector) lo.convertShape(VectorOperators.B2F, Kernels.F, p);
        FloatVector h = (FloatVector) hi.convertShape(VectorOperators.B2F, Kernels.F, p);
        s = l.fma(FloatVector.fromArray(Kernels.F, x, xb + p * FL), s);
        s = h.fma(FloatVector.fromArray(Kernels.F, x, xb + 16 + p * FL), s);
      }
      acc = s.fma(FloatVector.broadcast(Kernels.F, scales[firstBlock + b]), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (int i = blocks * BLOCK; i < n; i++) {
      sum += get(offset + i) * x[xOffset + i];
    }
    return sum;
  }

  @Override
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    int o = (int) offset;
    int i = 0;
    if (o % BLOCK == 0) {
      for (; i + BLOCK <= n; i += BLOCK) {
        int block = (o + i) / BLOCK;
        float d = scales[block];
        int base = block * 16;
        for (int j = 0; j < 16; j++) {
          int v = qs[base + j] & 0xFF;
          dst[dstOffset + i + j] = d * ((v & 0x0F) - 8);
          dst[dstOffset + i + j + 16] = d * ((v >>> 4) - 8);
        }
      }
    }
    for (; i < n; i++) {
      dst[dstOffset + i] = get(o + i);
    }
  }
}
