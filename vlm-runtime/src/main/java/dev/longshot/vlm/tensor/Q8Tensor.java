package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q8_0: blocks of 32 values, {@code x = d * q} with an f16 scale {@code d} and signed bytes {@code q}. Held as
 * one float scale per block and the quants back to back.
 */
final class Q8Tensor extends FloatTensor {
  private static final int BLOCK = 32;
  private static final int FL = Kernels.F.length();
  /** Bytes loaded per step: as many as float lanes, at least 8 (the narrowest byte vector). */
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FL * 8)));
  private static final int PARTS = B.length() / FL;

  private final float[] scales;
  private final byte[] q;

  private Q8Tensor(float[] scales, byte[] q) {
    super(q.length);
    this.scales = scales;
    this.q = q;
  }

  static Q8Tensor decode(ByteBuffer b, int n) {
    int blocks = n / BLOCK;
    float[] scales = new float[blocks];
    byte[] q = new byte[n];
    for (int i = 0; i < blocks; i++) {
      int base = i * 34;
      scales[i] = f16(b.getShort(base));
      b.get(base + 2, q, i * BLOCK, BLOCK);
    }
    return new Q8Tensor(scales, q);
  }

  @Override
  public GgmlType type() {
    return GgmlType.Q8_0;
  }

  @Override
  public float get(long index) {
    int i = (int) index;
    return scales[i / BLOCK] * q[i];
  }

  @Override
  public boolean dotsQuantized() {
    return QuantDot.ENABLED;
  }

  @Override
  public float dot(long offset, Q8Activation x) {
    return QuantDot.q8(q, scales, (int) offset, x, x.length());
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    if (offset % BLOCK != 0) {
      return dotScalar(offset, x, xOffset, n);
    }
    int blocks = n / BLOCK;
    int firstBlock = offset / BLOCK;
    FloatVector acc = FloatVector.zero(Kernels.F);
    for (int b = 0; b < blocks; b++) {
      int qb = offset + b * BLOCK;
      int xb = xOffset + b * BLOCK;
      FloatVector s = FloatVector.zero(Kernels.F);
      for (int j = 0; j < BLOCK; j += B.length()) {
        ByteVector qv = ByteVector.fromArray(B, q, qb + j);
        for (int p = 0; p < PARTS; p++) {
          FloatVector qf = (FloatVector) qv.convertShape(VectorOperators.B2F, Kernels.F, p);
          s = qf.fma(FloatVector.fromArray(Kernels.F, x, xb + j + p * FL), s);
        }
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
        float d = scales[(o + i) / BLOCK];
        for (int j = 0; j < BLOCK; j++) {
          dst[dstOffset + i + j] = d * q[o + i + j];
        }
      }
    }
    for (; i < n; i++) {
      dst[dstOffset + i] = scales[(o + i) / BLOCK] * q[o + i];
    }
  }
}
