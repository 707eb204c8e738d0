package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Q4_0 matrix repacked once for decode's matrix-vector products, {@link #ROWS} rows interleaved (8 with 256-bit
 * vectors, 16 with 512; llama.cpp's CPU backend repacks Q4_0 in the same spirit). Per group of rows and block of 32
 * columns: the rows' scales as float32, then 8 chunks of {@code 2 * ROWS} bytes; byte {@code i} of chunk {@code k}
 * holds row {@code i / 2}'s nibbles of columns {@code 4k + i % 2} (low) and {@code 4k + 2 + i % 2} (high), unsigned
 * (0..15, the stored {@code q}, not {@code q - 8}).
 *
 * <p>The kernel keeps one int lane per row instead of lanes along the row: a chunk widened to shorts
 * ({@code vpmovzxbw}) gives, after {@code & 15} and {@code >>> 4}, two vectors of (row, column-parity) lanes that
 * multiply a broadcast pair of activation quants ({@link Q8Activation#pairs}) and add into short accumulators. A
 * lane sums 16 products of at most 8 x 127 in magnitude once the {@code - 8} is applied, so the block's sums fit in
 * shorts; the {@code - 8} is the block's {@link Q8Activation#q4Bias}, the accumulators' starting value (the sums wrap
 * modulo 2^16 on the way and end exact). Per block, one pair sum gives the rows' integer sums, one conversion
 * and one FMA with the rows' scales times the activation's scale: no per-row horizontal sum, and the unpacking is
 * two instructions per 32 weights. Float sums are in block order per row, as the scalar twin's.
 */
final class InterleavedQ4 {
  /** Float lanes of the widest vector up to 512 bits, at least 256 (where {@link QuantDot#ENABLED}). */
  private static final VectorShape SHAPE = VectorShape.forBitSize(Math.max(256, Kernels.F.vectorBitSize()));
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256.withShape(SHAPE);
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256.withShape(SHAPE);
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256.withShape(SHAPE);
  /** Rows per group: one per int lane (8 with 256-bit vectors, 16 with 512). */
  static final int ROWS = I.length();
  private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(ROWS * 16));
  private static final int BLOCK = 32;
  /** Bytes of one chunk: two nibbles per (row, column parity) lane. */
  private static final int CHUNK = 2 * ROWS;
  static final long GROUP_BYTES = ROWS * 4 + 8 * CHUNK;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

  /** Whether the vector kernel runs here: the Vector API kernels with 256-bit vectors. */
  static final boolean ENABLED = Kernels.VECTORIZED && QuantDot.ENABLED;

  final MemorySegment packed;
  final int cols;
  final int groups;

  private InterleavedQ4(MemorySegment packed, int cols, int groups) {
    this.packed = packed;
    this.cols = cols;
    this.groups = groups;
  }

  /** The first {@code rows / 8 * 8} rows of the Q4_0 matrix {@code src} (18-byte blocks) repacked into {@code arena}. */
  static InterleavedQ4 of(MemorySegment src, int rows, int cols, Arena arena) {
    int blocks = cols / BLOCK;
    int groups = rows / ROWS;
    long bb = GgmlType.Q4_0.bytesPerBlock();
    MemorySegment p = arena.allocate(groups * blocks * GROUP_BYTES, 64);
    byte[] nib = new byte[ROWS * BLOCK];
    for (int g = 0; g < groups; g++) {
      for (int b = 0; b < blocks; b++) {
        long off = ((long) g * blocks + b) * GROUP_BYTES;
        for (int r = 0; r < ROWS; r++) {
          long sb = ((long) (g * ROWS + r) * blocks + b) * bb;
          p.set(FLOAT_LE, off + r * 4L, FloatTensor.f16(src.get(MappedHalfTensor.SHORT_LE, sb)));
          for (int j = 0; j < 16; j++) {
            int v = src.get(ValueLayout.JAVA_BYTE, sb + 2 + j) & 0xFF;
            nib[r * BLOCK + j] = (byte) (v & 0x0F);
            nib[r * BLOCK + 16 + j] = (byte) (v >>> 4);
          }
        }
        for (int k = 0; k < 8; k++) {
          for (int i = 0; i < CHUNK; i++) {
            int r = i / 2;
            int c = i % 2;
            int v = nib[r * BLOCK + 4 * k + c] | nib[r * BLOCK + 4 * k + 2 + c] << 4;
            p.set(ValueLayout.JAVA_BYTE, off + ROWS * 4 + k * CHUNK + i, (byte) v);
          }
        }
      }
    }
    return new InterleavedQ4(p, cols, groups);
  }

  /** {@code out[8g + r] = row (8g + r) . x} for the {@value #ROWS} rows of group {@code g}. */
  void group(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    int[] bias = x.q4Bias;
    float[] xd = x.d;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * GROUP_BYTES;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * GROUP_BYTES;
      long q = off + ROWS * 4;
      int xb = b * (BLOCK / 2);
      ShortVector s = IntVector.broadcast(I, bias[b]).reinterpretAsShorts();
      for (int k = 0; k < 8; k++) {
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B, packed, q + k * CHUNK, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
        ShortVector lo = IntVector.broadcast(I, xp[xb + 2 * k]).reinterpretAsShorts();
        ShortVector hi = IntVector.broadcast(I, xp[xb + 2 * k + 1]).reinterpretAsShorts();
        s = s.add(w.and((short) 0x0F).mul(lo)).add(w.lanewise(VectorOperators.LSHR, 4).mul(hi));
      }
      FloatVector d = FloatVector.fromMemorySegment(F, packed, off, LE).mul(xd[b]);
      IntVector pi = s.reinterpretAsInts();
      IntVector sums = pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
          .add(pi.lanewise(VectorOperators.ASHR, 16));
      acc = ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(d, acc);
    }
    acc.intoArray(out, g * ROWS);
  }

  /** The scalar twin of {@link #group}: the same integer sums per block, the same float order. */
  void groupScalar(int g, Q8Activation x, float[] out) {
    int blocks = cols / BLOCK;
    for (int r = 0; r < ROWS; r++) {
      float sum = 0f;
      for (int b = 0; b < blocks; b++) {
        long off = ((long) g * blocks + b) * GROUP_BYTES;
        int isum = 0;
        for (int k = 0; k < 8; k++) {
          for (int c = 0; c < 2; c++) {
            int v = packed.get(ValueLayout.JAVA_BYTE, off + ROWS * 4 + k * CHUNK + 2 * r + c) & 0xFF;
            isum += ((v & 0x0F) - 8) * x.q[b * BLOCK + 4 * k + c] + ((v >>> 4) - 8) * x.q[b * BLOCK + 4 * k + 2 + c];
          }
        }
        sum = Math.fma(packed.get(FLOAT_LE, off + r * 4L) * x.d[b], (float) isum, sum);
      }
      out[g * ROWS + r] = sum;
    }
  }
}
