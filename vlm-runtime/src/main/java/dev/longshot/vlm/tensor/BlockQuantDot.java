package dev.longshot.vlm.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer dot products of Q4_K / Q6_K / Q5_0 / Q4_1 blocks with a {@link Q8Activation} (blocks of 32 that line up
 * with Q4_K's sub-blocks, with pairs of Q6_K's 16-element groups and with Q5_0's and Q4_1's blocks), with scalar twins,
 * as {@link QuantDot} does for Q4_0: per group that shares a weight scale the products of the quants are summed in
 * shorts (at most 2 x 63 x 127, 2 x 32 x 127, 2 x 16 x 127 or 2 x 15 x 127), summed in pairs into ints
 * ({@link QuantDot#pairSum}) and scaled once by {@code d * scale * d_x} (Q5_0, Q4_1: {@code d * d_x}). Q4_K's mins come from the activation's per-block sums of quants
 * ({@link Q8Activation#sums}, computed once when it is quantized): {@code - dmin * min * d_x * sum(q_x)}; Q4_1's
 * {@code + m * d_x * sum(q_x)} the same way. Used where
 * {@link QuantDot#ENABLED}.
 */
final class BlockQuantDot {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final int QB = Q8Activation.BLOCK;

  private BlockQuantDot() {}

  /** Whether {@code type} has an integer kernel here. */
  static boolean handles(GgmlType type) {
    return type == GgmlType.Q4_K || type == GgmlType.Q6_K || type == GgmlType.Q5_0 || type == GgmlType.Q4_1;
  }

  /**
   * {@code blocks} blocks of {@code type} at {@code a[base..]} dotted with the activation's elements from
   * {@code xFirst} (a multiple of the type's block size).
   */
  static float dot(GgmlType type, byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    boolean vector = Kernels.VECTORIZED;
    return switch (type) {
      case Q4_K -> vector ? q4KVector(a, base, blocks, x, xFirst) : q4KScalar(a, base, blocks, x, xFirst);
      case Q6_K -> vector ? q6KVector(a, base, blocks, x, xFirst) : q6KScalar(a, base, blocks, x, xFirst);
      case Q5_0 -> vector ? q5_0Vector(a, base, blocks, x, xFirst) : q5_0Scalar(a, base, blocks, x, xFirst);
      case Q4_1 -> vector ? q4_1Vector(a, base, blocks, x, xFirst) : q4_1Scalar(a, base, blocks, x, xFirst);
      default -> throw new IllegalArgumentException(type.toString());
    };
  }

  /**
   * The eight 6-bit scales ({@code out[0..8)}) and mins ({@code out[8..16)}) packed in {@code a[s..s+12)}, as
   * {@link BlockDecoder#scale} and {@link BlockDecoder#min} read them.
   */
  static void unpackScales(byte[] a, int s, int[] out) {
    for (int j = 0; j < 8; j++) {
      out[j] = BlockDecoder.scale(a, s, j);
      out[8 + j] = BlockDecoder.min(a, s, j);
    }
  }

  static float q4KScalar(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    float[] xs = x.sums;
    float sum = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 144;
      float d = BlockDecoder.half(a, o);
      float dmin = BlockDecoder.half(a, o + 2);
      for (int s = 0; s < 8; s++) {
        int xb = xFirst / QB + blk * 8 + s;
        int q = o + 16 + 32 * (s / 2);
        int shift = 4 * (s % 2);
        int isum = 0;
        for (int l = 0; l < 32; l++) {
          isum += ((a[q + l] >> shift) & 0x0F) * x.q[xb * QB + l];
        }
        sum += d * BlockDecoder.scale(a, o + 4, s) * x.d[xb] * isum;
        sum -= dmin * BlockDecoder.min(a, o + 4, s) * xs[xb];
      }
    }
    return sum;
  }

  static float q4KVector(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    float[] xs = x.sums;
    short[] xq = x.q;
    float[] xd = x.d;
    int[] sm = new int[16];
    FloatVector acc = FloatVector.zero(F);
    float mins = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 144;
      float d = BlockDecoder.half(a, o);
      float dmin = BlockDecoder.half(a, o + 2);
      unpackScales(a, o + 4, sm);
      int x0 = xFirst / QB + blk * 8;
      float m = 0f;
      for (int g = 0; g < 4; g++) {
        int xb = x0 + 2 * g;
        // widened first: shifts and masks in short lanes (x86 has no byte shift)
        ShortVector r0 = (ShortVector) ByteVector.fromArray(B, a, o + 16 + 32 * g)
            .convertShape(VectorOperators.B2S, S, 0);
        ShortVector r1 = (ShortVector) ByteVector.fromArray(B, a, o + 32 + 32 * g)
            .convertShape(VectorOperators.B2S, S, 0);
        ShortVector l0 = r0.and((short) 0x0F);
        ShortVector l1 = r1.and((short) 0x0F);
        ShortVector h0 = r0.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F);
        ShortVector h1 = r1.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F);
        int xo = xb * QB;
        ShortVector pa = l0.mul(ShortVector.fromArray(S, xq, xo)).add(l1.mul(ShortVector.fromArray(S, xq, xo + 16)));
        ShortVector pb = h0.mul(ShortVector.fromArray(S, xq, xo + 32))
            .add(h1.mul(ShortVector.fromArray(S, xq, xo + 48)));
        acc = QuantDot.pairSum(pa).fma(FloatVector.broadcast(F, d * sm[2 * g] * xd[xb]), acc);
        acc = QuantDot.pairSum(pb).fma(FloatVector.broadcast(F, d * sm[2 * g + 1] * xd[xb + 1]), acc);
        m += sm[8 + 2 * g] * xs[xb] + sm[9 + 2 * g] * xs[xb + 1];
      }
      mins += dmin * m;
    }
    return acc.reduceLanes(VectorOperators.ADD) - mins;
  }

  static float q5_0Scalar(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    float sum = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 22;
      float d = BlockDecoder.half(a, o);
      int qh = BlockDecoder.u32(a, o + 2);
      int xb = xFirst / QB + blk;
      int isum = 0;
      for (int j = 0; j < 16; j++) {
        int lo = ((a[o + 6 + j] & 0x0F) | ((qh >>> j) & 1) << 4) - 16;
        int hi = (((a[o + 6 + j] >> 4) & 0x0F) | ((qh >>> (j + 16)) & 1) << 4) - 16;
        isum += lo * x.q[xb * QB + j] + hi * x.q[xb * QB + 16 + j];
      }
      sum += d * x.d[xb] * isum;
    }
    return sum;
  }

  /** Lane {@code j} shifts {@code qh} right by {@code j}: the fifth bits of a half block, one per lane. */
  private static final ShortVector BIT_SHIFTS = ShortVector.fromArray(S,
      new short[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 0);

  static float q5_0Vector(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    short[] xq = x.q;
    float[] xd = x.d;
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 22;
      float d = BlockDecoder.half(a, o);
      int qh = BlockDecoder.u32(a, o + 2);
      int xo = xFirst + blk * QB;
      // widened first: shifts and masks in short lanes (x86 has no byte shift)
      ShortVector r = (ShortVector) ByteVector.fromArray(B, a, o + 6).convertShape(VectorOperators.B2S, S, 0);
      ShortVector bitsLo = ShortVector.broadcast(S, (short) qh).lanewise(VectorOperators.LSHR, BIT_SHIFTS)
          .and((short) 1).lanewise(VectorOperators.LSHL, 4);
      ShortVector bitsHi = ShortVector.broadcast(S, (short) (qh >>> 16)).lanewise(VectorOperators.LSHR, BIT_SHIFTS)
          .and((short) 1).lanewise(VectorOperators.LSHL, 4);
      ShortVector lo = r.and((short) 0x0F).or(bitsLo).sub((short) 16);
      ShortVector hi = r.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F).or(bitsHi).sub((short) 16);
      ShortVector p = lo.mul(ShortVector.fromArray(S, xq, xo)).add(hi.mul(ShortVector.fromArray(S, xq, xo + 16)));
      acc = QuantDot.pairSum(p).fma(FloatVector.broadcast(F, d * xd[xFirst / QB + blk]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  static float q4_1Scalar(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    float sum = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 20;
      float d = BlockDecoder.half(a, o);
      float m = BlockDecoder.half(a, o + 2);
      int xb = xFirst / QB + blk;
      int isum = 0;
      for (int j = 0; j < 16; j++) {
        isum += (a[o + 4 + j] & 0x0F) * x.q[xb * QB + j] + ((a[o + 4 + j] >> 4) & 0x0F) * x.q[xb * QB + 16 + j];
      }
      sum += d * x.d[xb] * isum;
      sum += m * x.sums[xb];
    }
    return sum;
  }

  static float q4_1Vector(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    short[] xq = x.q;
    float[] xd = x.d;
    float[] xs = x.sums;
    FloatVector acc = FloatVector.zero(F);
    float mins = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 20;
      float d = BlockDecoder.half(a, o);
      int xb = xFirst / QB + blk;
      int xo = xFirst + blk * QB;
      // widened first: shifts and masks in short lanes (x86 has no byte shift)
      ShortVector r = (ShortVector) ByteVector.fromArray(B, a, o + 4).convertShape(VectorOperators.B2S, S, 0);
      ShortVector lo = r.and((short) 0x0F);
      ShortVector hi = r.lanewise(VectorOperators.ASHR, 4).and((short) 0x0F);
      ShortVector p = lo.mul(ShortVector.fromArray(S, xq, xo)).add(hi.mul(ShortVector.fromArray(S, xq, xo + 16)));
      acc = QuantDot.pairSum(p).fma(FloatVector.broadcast(F, d * xd[xb]), acc);
      mins += BlockDecoder.half(a, o + 2) * xs[xb];
    }
    return acc.reduceLanes(VectorOperators.ADD) + mins;
  }

  static float q6KScalar(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    float sum = 0f;
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 210;
      float d = BlockDecoder.half(a, o + 208);
      for (int e16 = 0; e16 < 16; e16++) {
        int isum = 0;
        for (int i = 16 * e16; i < 16 * e16 + 16; i++) {
          int h = i / 128;
          int k = i % 128 / 32;
          int l = i % 32;
          int low = (a[o + 64 * h + 32 * (k % 2) + l] >> (k < 2 ? 0 : 4)) & 0x0F;
          int high = (a[o + 128 + 32 * h + l] >> (2 * k)) & 3;
          isum += (low + 16 * high - 32) * x.q[xFirst + blk * 256 + i];
        }
        sum += d * a[o + 192 + e16] * x.d[(xFirst + blk * 256) / QB + e16 / 2] * isum;
      }
    }
    return sum;
  }

  static float q6KVector(byte[] a, int base, int blocks, Q8Activation x, int xFirst) {
    short[] xq = x.q;
    float[] xd = x.d;
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 210;
      float d = BlockDecoder.half(a, o + 208);
      for (int half = 0; half < 2; half++) {
        int ql = o + 64 * half;
        int qh = o + 128 + 32 * half;
        int sc = o + 192 + 8 * half;
        int xh = xFirst + blk * 256 + 128 * half;
        for (int k = 0; k < 4; k++) {
          float dx = xd[(xh + 32 * k) / QB];
          for (int part = 0; part < 2; part++) {
            int l = 16 * part;
            // widened first: shifts and masks in short lanes (x86 has no byte shift)
            ShortVector low = (ShortVector) ByteVector.fromArray(B, a, ql + 32 * (k & 1) + l)
                .convertShape(VectorOperators.B2S, S, 0);
            ShortVector high = (ShortVector) ByteVector.fromArray(B, a, qh + l).convertShape(VectorOperators.B2S, S, 0);
            low = (k < 2 ? low : low.lanewise(VectorOperators.ASHR, 4)).and((short) 0x0F);
            high = high.lanewise(VectorOperators.ASHR, 2 * k).and((short) 3).lanewise(VectorOperators.LSHL, 4);
            ShortVector q = low.or(high).sub((short) 32);
            ShortVector p = q.mul(ShortVector.fromArray(S, xq, xh + 32 * k + l));
            acc = QuantDot.pairSum(p).fma(FloatVector.broadcast(F, d * a[sc + part + 2 * k] * dx), acc);
          }
        }
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }
}
