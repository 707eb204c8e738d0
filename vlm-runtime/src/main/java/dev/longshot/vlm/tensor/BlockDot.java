package dev.longshot.vlm.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API dot products of whole stored blocks of the {@link BlockDecoder} types with float activations, without
 * writing the weights out as floats: 16 quants at a time are unpacked in byte lanes (nibble masks and shifts, the high
 * bits or-ed in), widened to floats and multiplied into per-scale accumulators, which are then scaled once per
 * sub-block; the types with a min subtract {@code min * sum(x)} from a second accumulator of the activations. Same
 * values as {@link BlockDecoder} (the float products are summed in another order). Layouts in {@link BlockDecoder}.
 */
final class BlockDot {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Float> F = Kernels.F;
  private static final int FL = F.length();
  /** Float vectors per 16 quants. */
  private static final int PARTS = 16 / FL;
  /** Lane j's bit of a byte of fifth bits (1, 2, 4, ... 128, twice). */
  private static final ByteVector BIT = ByteVector.fromArray(B,
      new byte[] {1, 2, 4, 8, 16, 32, 64, (byte) 128, 1, 2, 4, 8, 16, 32, 64, (byte) 128}, 0);
  /** Spreads bytes 0 and 1 of a vector over lanes 0-7 and 8-15 ({@link #SPREAD_HI}: bytes 2 and 3). */
  private static final VectorShuffle<Byte> SPREAD_LO = VectorShuffle.fromValues(B, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1,
      1, 1, 1, 1, 1);
  private static final VectorShuffle<Byte> SPREAD_HI = VectorShuffle.fromValues(B, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3,
      3, 3, 3, 3, 3);

  private BlockDot() {}

  /** Whether {@link #dot} runs here: float vectors of at most 16 lanes (always true of the Vector API's shapes). */
  static final boolean ENABLED = FL <= 16 && 16 % FL == 0;

  /** {@code sum} over {@code blocks} blocks of {@code type} at {@code a[base..]} of weight times {@code x[xo..]}. */
  static float dot(GgmlType type, byte[] a, int base, int blocks, float[] x, int xo) {
    return switch (type) {
      case Q4_K -> q4K(a, base, blocks, x, xo);
      case Q5_K -> q5K(a, base, blocks, x, xo);
      case Q6_K -> q6K(a, base, blocks, x, xo);
      case Q5_0 -> q5(a, base, blocks, x, xo, false);
      case Q5_1 -> q5(a, base, blocks, x, xo, true);
      case Q4_1 -> q4_1(a, base, blocks, x, xo);
      default -> throw new IllegalArgumentException(type.toString());
    };
  }

  private static FloatVector lanes(ByteVector q, int part) {
    return (FloatVector) q.convertShape(VectorOperators.B2F, F, part);
  }

  private static float q4K(byte[] a, int base, int blocks, float[] x, int xo) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 144;
      int xb = xo + blk * 256;
      float d = BlockDecoder.half(a, o);
      float dmin = BlockDecoder.half(a, o + 2);
      for (int g = 0; g < 4; g++) {
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector x1 = FloatVector.zero(F);
        FloatVector x2 = FloatVector.zero(F);
        int xg = xb + 64 * g;
        for (int j = 0; j < 32; j += 16) {
          ByteVector q = ByteVector.fromArray(B, a, o + 16 + 32 * g + j);
          ByteVector lo = q.and((byte) 0x0F);
          ByteVector hi = q.lanewise(VectorOperators.LSHR, 4);
          for (int p = 0; p < PARTS; p++) {
            FloatVector xa = FloatVector.fromArray(F, x, xg + j + p * FL);
            FloatVector xc = FloatVector.fromArray(F, x, xg + 32 + j + p * FL);
            s1 = lanes(lo, p).fma(xa, s1);
            x1 = x1.add(xa);
            s2 = lanes(hi, p).fma(xc, s2);
            x2 = x2.add(xc);
          }
        }
        acc = s1.fma(FloatVector.broadcast(F, d * BlockDecoder.scale(a, o + 4, 2 * g)), acc);
        acc = x1.fma(FloatVector.broadcast(F, -dmin * BlockDecoder.min(a, o + 4, 2 * g)), acc);
        acc = s2.fma(FloatVector.broadcast(F, d * BlockDecoder.scale(a, o + 4, 2 * g + 1)), acc);
        acc = x2.fma(FloatVector.broadcast(F, -dmin * BlockDecoder.min(a, o + 4, 2 * g + 1)), acc);
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  private static float q5K(byte[] a, int base, int blocks, float[] x, int xo) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 176;
      int xb = xo + blk * 256;
      float d = BlockDecoder.half(a, o);
      float dmin = BlockDecoder.half(a, o + 2);
      for (int g = 0; g < 4; g++) {
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector x1 = FloatVector.zero(F);
        FloatVector x2 = FloatVector.zero(F);
        int xg = xb + 64 * g;
        for (int j = 0; j < 32; j += 16) {
          ByteVector q = ByteVector.fromArray(B, a, o + 48 + 32 * g + j);
          ByteVector h = ByteVector.fromArray(B, a, o + 16 + j);
          ByteVector lo = q.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2 * g).and((byte) 1)
              .lanewise(VectorOperators.LSHL, 4));
          ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2 * g + 1)
              .and((byte) 1).lanewise(VectorOperators.LSHL, 4));
          for (int p = 0; p < PARTS; p++) {
            FloatVector xa = FloatVector.fromArray(F, x, xg + j + p * FL);
            FloatVector xc = FloatVector.fromArray(F, x, xg + 32 + j + p * FL);
            s1 = lanes(lo, p).fma(xa, s1);
            x1 = x1.add(xa);
            s2 = lanes(hi, p).fma(xc, s2);
            x2 = x2.add(xc);
          }
        }
        acc = s1.fma(FloatVector.broadcast(F, d * BlockDecoder.scale(a, o + 4, 2 * g)), acc);
        acc = x1.fma(FloatVector.broadcast(F, -dmin * BlockDecoder.min(a, o + 4, 2 * g)), acc);
        acc = s2.fma(FloatVector.broadcast(F, d * BlockDecoder.scale(a, o + 4, 2 * g + 1)), acc);
        acc = x2.fma(FloatVector.broadcast(F, -dmin * BlockDecoder.min(a, o + 4, 2 * g + 1)), acc);
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  private static float q6K(byte[] a, int base, int blocks, float[] x, int xo) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 210;
      float d = BlockDecoder.half(a, o + 208);
      for (int half = 0; half < 2; half++) {
        int ql = o + 64 * half;
        int qh = o + 128 + 32 * half;
        int sc = o + 192 + 8 * half;
        int xh = xo + blk * 256 + 128 * half;
        for (int k = 0; k < 4; k++) {
          for (int part = 0; part < 2; part++) {
            int l = 16 * part;
            ByteVector low = ByteVector.fromArray(B, a, ql + 32 * (k & 1) + l);
            low = k < 2 ? low.and((byte) 0x0F) : low.lanewise(VectorOperators.LSHR, 4);
            ByteVector high = ByteVector.fromArray(B, a, qh + l).lanewise(VectorOperators.LSHR, 2 * k)
                .and((byte) 3).lanewise(VectorOperators.LSHL, 4);
            ByteVector q = low.or(high).sub((byte) 32);
            FloatVector s = FloatVector.zero(F);
            for (int p = 0; p < PARTS; p++) {
              s = lanes(q, p).fma(FloatVector.fromArray(F, x, xh + 32 * k + l + p * FL), s);
            }
            acc = s.fma(FloatVector.broadcast(F, d * a[sc + part + 2 * k]), acc);
          }
        }
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** Q5_0 ({@code withMin} false: {@code (q - 16) d}) or Q5_1 ({@code q d + m}). */
  private static float q5(byte[] a, int base, int blocks, float[] x, int xo, boolean withMin) {
    int size = withMin ? 24 : 22;
    int qhAt = withMin ? 4 : 2;
    FloatVector acc = FloatVector.zero(F);
    ByteVector zero = ByteVector.zero(B);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * size;
      int xb = xo + blk * 32;
      // bytes qh[0..3] and what follows: 16 bytes lie inside the block for both types
      ByteVector h = ByteVector.fromArray(B, a, o + qhAt);
      VectorMask<Byte> bitLo = h.rearrange(SPREAD_LO).and(BIT).compare(VectorOperators.NE, (byte) 0);
      VectorMask<Byte> bitHi = h.rearrange(SPREAD_HI).and(BIT).compare(VectorOperators.NE, (byte) 0);
      ByteVector q = ByteVector.fromArray(B, a, o + qhAt + 4);
      ByteVector lo = q.and((byte) 0x0F).or(zero.blend((byte) 16, bitLo));
      ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).or(zero.blend((byte) 16, bitHi));
      if (!withMin) {
        lo = lo.sub((byte) 16);
        hi = hi.sub((byte) 16);
      }
      FloatVector s = FloatVector.zero(F);
      FloatVector xs = FloatVector.zero(F);
      for (int p = 0; p < PARTS; p++) {
        FloatVector xa = FloatVector.fromArray(F, x, xb + p * FL);
        FloatVector xc = FloatVector.fromArray(F, x, xb + 16 + p * FL);
        s = lanes(lo, p).fma(xa, s);
        s = lanes(hi, p).fma(xc, s);
        if (withMin) {
          xs = xs.add(xa).add(xc);
        }
      }
      acc = s.fma(FloatVector.broadcast(F, BlockDecoder.half(a, o)), acc);
      if (withMin) {
        acc = xs.fma(FloatVector.broadcast(F, BlockDecoder.half(a, o + 2)), acc);
      }
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  private static float q4_1(byte[] a, int base, int blocks, float[] x, int xo) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int o = base + blk * 20;
      int xb = xo + blk * 32;
      ByteVector q = ByteVector.fromArray(B, a, o + 4);
      ByteVector lo = q.and((byte) 0x0F);
      ByteVector hi = q.lanewise(VectorOperators.LSHR, 4);
      FloatVector s = FloatVector.zero(F);
      FloatVector xs = FloatVector.zero(F);
      for (int p = 0; p < PARTS; p++) {
        FloatVector xa = FloatVector.fromArray(F, x, xb + p * FL);
        FloatVector xc = FloatVector.fromArray(F, x, xb + 16 + p * FL);
        s = lanes(lo, p).fma(xa, s);
        s = lanes(hi, p).fma(xc, s);
        xs = xs.add(xa).add(xc);
      }
      acc = s.fma(FloatVector.broadcast(F, BlockDecoder.half(a, o)), acc);
      acc = xs.fma(FloatVector.broadcast(F, BlockDecoder.half(a, o + 2)), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }
}
