package dev.longshot.vlm.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer dot products of Q8_0 / Q4_0 weight rows with a {@link Q8Activation}, with scalar twins: per block of 32
 * the products of the quants are summed in integers, then {@code sum += d_w * d_x * isum}. The Vector API has no
 * byte or short dot-product operation, so there is no {@code vpmaddubsw} / {@code vpmaddwd} / VNNI
 * {@code vpdpbusd}; the vector kernels widen the weight bytes to shorts ({@code vpmovsxbw}), multiply 16 shorts at a
 * time ({@code vpmullw}, the activation quants are shorts already), add the two halves of a block in shorts (at most
 * 2 x 128 x 127, no overflow), then sum pairs of shorts into ints by shifts ({@code vpslld}/{@code vpsrad} x 2 +
 * {@code vpaddd}, what one {@code vpmaddwd} would do), convert to float and FMA with the scale: 12-17 instructions per
 * 32 weights against 22-30 for dequantizing to float (C2, JDK 25, AVX2, checked in its disassembly). 256-bit only
 * (16 shorts = half a block); {@link #ENABLED} says when these kernels (and their scalar twins) are used.
 */
final class QuantDot {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final int BLOCK = Q8Activation.BLOCK;
  /**
   * Whether Q8_0 / Q4_0 matrix-vector products quantize their activation: where the preferred float vector is at
   * least 256 bits (AVX2, AVX-512). Decided from the hardware, not from {@code longshot.vlm.scalar}, so the scalar
   * twins compute the same thing as the vector kernels.
   */
  static final boolean ENABLED = Kernels.F.vectorBitSize() >= 256;

  private QuantDot() {}

  /** Q8_0 row {@code q[offset..offset+n)} with scales {@code scales[offset/32..]} dotted with {@code x[0..n)}. */
  static float q8(byte[] q, float[] scales, int offset, Q8Activation x, int n) {
    return Kernels.VECTORIZED ? q8Vector(q, scales, offset, x, n) : q8Scalar(q, scales, offset, x, n);
  }

  /** Q4_0 row starting at element {@code offset} (nibbles {@code qs}, 16 bytes per block) dotted with {@code x}. */
  static float q4(byte[] qs, float[] scales, int offset, Q8Activation x, int n) {
    return Kernels.VECTORIZED ? q4Vector(qs, scales, offset, x, n) : q4Scalar(qs, scales, offset, x, n);
  }

  static float q8Scalar(byte[] q, float[] scales, int offset, Q8Activation x, int n) {
    float sum = 0f;
    int fb = offset / BLOCK;
    for (int b = 0; b < n / BLOCK; b++) {
      int isum = 0;
      for (int j = 0; j < BLOCK; j++) {
        isum += q[offset + b * BLOCK + j] * x.q[b * BLOCK + j];
      }
      sum += scales[fb + b] * x.d[b] * isum;
    }
    return sum;
  }

  static float q4Scalar(byte[] qs, float[] scales, int offset, Q8Activation x, int n) {
    float sum = 0f;
    int fb = offset / BLOCK;
    for (int b = 0; b < n / BLOCK; b++) {
      int isum = 0;
      for (int j = 0; j < 16; j++) {
        int v = qs[(fb + b) * 16 + j] & 0xFF;
        isum += ((v & 0x0F) - 8) * x.q[b * BLOCK + j] + ((v >>> 4) - 8) * x.q[b * BLOCK + 16 + j];
      }
      sum += scales[fb + b] * x.d[b] * isum;
    }
    return sum;
  }

  static float q8Vector(byte[] q, float[] scales, int offset, Q8Activation x, int n) {
    short[] xq = x.q;
    float[] xd = x.d;
    int fb = offset / BLOCK;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < n / BLOCK; b++) {
      int qb = offset + b * BLOCK;
      int xb = b * BLOCK;
      ShortVector w0 = (ShortVector) ByteVector.fromArray(B, q, qb).convertShape(VectorOperators.B2S, S, 0);
      ShortVector w1 = (ShortVector) ByteVector.fromArray(B, q, qb + 16).convertShape(VectorOperators.B2S, S, 0);
      ShortVector p = w0.mul(ShortVector.fromArray(S, xq, xb)).add(w1.mul(ShortVector.fromArray(S, xq, xb + 16)));
      acc = pairSum(p).fma(FloatVector.broadcast(F, scales[fb + b] * xd[b]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  static float q4Vector(byte[] qs, float[] scales, int offset, Q8Activation x, int n) {
    short[] xq = x.q;
    float[] xd = x.d;
    int fb = offset / BLOCK;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < n / BLOCK; b++) {
      int xb = b * BLOCK;
      ShortVector r = (ShortVector) ByteVector.fromArray(B, qs, (fb + b) * 16).convertShape(VectorOperators.B2S, S, 0);
      ShortVector lo = r.and((short) 0x0F).sub((short) 8);
      ShortVector hi = r.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F).sub((short) 8);
      ShortVector p = lo.mul(ShortVector.fromArray(S, xq, xb)).add(hi.mul(ShortVector.fromArray(S, xq, xb + 16)));
      acc = pairSum(p).fma(FloatVector.broadcast(F, scales[fb + b] * xd[b]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** Adjacent pairs of shorts summed into ints, as floats (what {@code vpmaddwd} with ones would give). */
  static FloatVector pairSum(ShortVector p) {
    IntVector pi = p.reinterpretAsInts();
    IntVector s = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
        .add(pi.lanewise(VectorOperators.ASHR, 16));
    return (FloatVector) s.convert(VectorOperators.I2F, 0);
  }
}
