package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A Q8_0 or Q4_0 matrix copied once, for decode's matrix-vector products, into groups of {@link #ROWS} interleaved
 * rows (8 with 256-bit vectors, 16 with 512; llama.cpp's CPU backend repacks Q4_0 in the same spirit). Per group and
 * block of 32 columns: the rows' scales as float32, then chunks of {@code 2 * ROWS} bytes, one byte per (row, column
 * parity) pair, byte {@code i} for row {@code i / 2}: Q8_0 has 16 chunks, chunk {@code k} holding columns
 * {@code 2k + i % 2}; Q4_0 has 8, chunk {@code k} holding the nibbles (unsigned, the stored {@code q}) of columns
 * {@code 4k + i % 2} (low) and {@code 4k + 2 + i % 2} (high).
 *
 * <p>The kernels keep one int lane per row instead of lanes along a row. A chunk widened to shorts (Q4_0: zero-extended,
 * then {@code & 15} and {@code >>> 4}; Q8_0: sign-extended) gives (row, column-parity) lanes that multiply a broadcast
 * pair of activation quants ({@link Q8Activation#pairs}). Q4_0 adds them into short accumulators for the whole block:
 * a lane sums 16 products of at most 8 x 127 in magnitude once the {@code - 8} is applied, which fits a short; the
 * {@code - 8} is the block's {@link Q8Activation#q4Bias}, the accumulators' starting value (the sums wrap modulo 2^16
 * on the way and end exact). Q8_0 adds two chunks' products in shorts (at most 2 x 128 x 127) and then into ints. Per
 * block, one pair sum of the shorts gives the rows' integer sums, then one conversion and one FMA with the rows' scales
 * times the activation's: no horizontal sum per row, and Q4_0's unpacking is two instructions per 32 weights. Float
 * sums are in block order per row, as in the scalar twins.
 */
final class Interleaved {
  private static final VectorShape SHAPE = VectorShape.forBitSize(Math.max(256, Kernels.F.vectorBitSize()));
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256.withShape(SHAPE);
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256.withShape(SHAPE);
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256.withShape(SHAPE);
  /** Rows per group: one per int lane of the widest vector up to 512 bits, at least 256. */
  static final int ROWS = I.length();
  /** Bytes of one chunk: one per (row, column parity) lane. */
  private static final int CHUNK = 2 * ROWS;
  private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(CHUNK * 8));
  private static final int BLOCK = 32;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

  /** Whether the vector kernels run here: the Vector API kernels with vectors of at least 256 bits. */
  static final boolean ENABLED = Kernels.VECTORIZED && QuantDot.ENABLED;

  private final GgmlType type;
  private final MemorySegment src;
  private final MemorySegment packed;
  final int cols;
  final int groups;
  /** Bytes per group and block: the scales, then the chunks. */
  private final long groupBytes;

  /** Group {@code g} has been copied when {@code ready.get(g) == 1} (set after its bytes, read before them). */
  private final AtomicIntegerArray ready;

  private Interleaved(GgmlType type, MemorySegment src, MemorySegment packed, int cols, int groups) {
    this.type = type;
    this.src = src;
    this.ready = new AtomicIntegerArray(groups);
    this.packed = packed;
    this.cols = cols;
    this.groups = groups;
    this.groupBytes = groupBytes(type);
  }

  private static long groupBytes(GgmlType type) {
    return ROWS * 4L + (type == GgmlType.Q4_0 ? 8 : 16) * CHUNK;
  }

  /** Bytes of the copy of a {@code rows x cols} matrix: what the interleaved copy costs in memory. */
  static long copyBytes(GgmlType type, int rows, int cols) {
    return (long) (rows / ROWS) * (cols / BLOCK) * groupBytes(type);
  }

  /**
   * Room in {@code arena} for the first {@code rows / ROWS * ROWS} rows of the Q8_0 / Q4_0 matrix {@code src} (the
   * file's blocks) in the interleaved layout; {@link #fill} copies a group into it.
   */
  static Interleaved of(GgmlType type, MemorySegment src, int rows, int cols, Arena arena) {
    return new Interleaved(type, src, arena.allocate(copyBytes(type, rows, cols), 64), cols, rows / ROWS);
  }

  /** Copies group {@code g} from the file's blocks; several threads may fill one group, all writing the same bytes. */
  void fill(int g) {
    int blocks = cols / BLOCK;
    long bb = type.bytesPerBlock();
    int gb = (int) groupBytes;
    byte[] w = new byte[ROWS * BLOCK]; // one block of the group, a row's 32 quants after another (Q4_0: nibbles)
    byte[] raw = new byte[BLOCK];
    byte[] one = new byte[gb]; // the block in the interleaved layout, copied to the arena in one go
    MemorySegment oneSeg = MemorySegment.ofArray(one);
    for (int b = 0; b < blocks; b++) {
      for (int r = 0; r < ROWS; r++) {
        long sb = ((long) (g * ROWS + r) * blocks + b) * bb;
        oneSeg.set(FLOAT_LE, r * 4L, FloatTensor.f16(src.get(MappedHalfTensor.SHORT_LE, sb)));
        if (type == GgmlType.Q4_0) {
          MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sb + 2, raw, 0, 16);
          for (int j = 0; j < 16; j++) {
            w[r * BLOCK + j] = (byte) (raw[j] & 0x0F);
            w[r * BLOCK + 16 + j] = (byte) ((raw[j] & 0xFF) >>> 4);
          }
        } else {
          MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sb + 2, w, r * BLOCK, BLOCK);
        }
      }
      int q = ROWS * 4;
      for (int i = 0; i < CHUNK; i++) {
        int r = i / 2;
        int c = i % 2;
        if (type == GgmlType.Q4_0) {
          for (int k = 0; k < 8; k++) {
            one[q + k * CHUNK + i] = (byte) (w[r * BLOCK + 4 * k + c] | w[r * BLOCK + 4 * k + 2 + c] << 4);
          }
        } else {
          for (int k = 0; k < 16; k++) {
            one[q + k * CHUNK + i] = w[r * BLOCK + 2 * k + c];
          }
        }
      }
      MemorySegment.copy(oneSeg, 0, packed, ((long) g * blocks + b) * gb, gb);
    }
  }

  /** {@code out[ROWS * g + r] = row (ROWS * g + r) . x} for the rows of group {@code g}. */
  void group(int g, Q8Activation x, float[] out) {
    if (type == GgmlType.Q4_0) {
      q4(g, x, out);
    } else {
      q8(g, x, out);
    }
  }

  private void q4(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    int[] bias = x.q4Bias;
    float[] xd = x.d;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * groupBytes;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
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
      acc = blockSum(pairSums(s), off, xd[b], acc);
    }
    acc.intoArray(out, g * ROWS);
  }

  private void q8(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    float[] xd = x.d;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * groupBytes;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + ROWS * 4;
      int xb = b * (BLOCK / 2);
      IntVector sums = IntVector.zero(I);
      for (int k = 0; k < 16; k += 2) {
        ShortVector w0 = (ShortVector) ByteVector.fromMemorySegment(B, packed, q + k * CHUNK, LE)
            .convertShape(VectorOperators.B2S, S, 0);
        ShortVector w1 = (ShortVector) ByteVector.fromMemorySegment(B, packed, q + (k + 1) * CHUNK, LE)
            .convertShape(VectorOperators.B2S, S, 0);
        ShortVector p = w0.mul(IntVector.broadcast(I, xp[xb + k]).reinterpretAsShorts())
            .add(w1.mul(IntVector.broadcast(I, xp[xb + k + 1]).reinterpretAsShorts()));
        sums = sums.add(pairSums(p));
      }
      acc = blockSum(sums, off, xd[b], acc);
    }
    acc.intoArray(out, g * ROWS);
  }

  /** Adjacent pairs of shorts (a row's two column parities) summed into ints: one int lane per row. */
  private static IntVector pairSums(ShortVector s) {
    IntVector pi = s.reinterpretAsInts();
    return pi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
        .add(pi.lanewise(VectorOperators.ASHR, 16));
  }

  /** {@code acc + sums * scales * xd}: the block's integer row sums times the rows' scales at {@code off}. */
  private FloatVector blockSum(IntVector sums, long off, float xd, FloatVector acc) {
    FloatVector d = FloatVector.fromMemorySegment(F, packed, off, LE).mul(xd);
    return ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(d, acc);
  }

  /** The scalar twin of {@link #group}: the same integer sums per block, the same float order. */
  void groupScalar(int g, Q8Activation x, float[] out) {
    int blocks = cols / BLOCK;
    for (int r = 0; r < ROWS; r++) {
      float sum = 0f;
      for (int b = 0; b < blocks; b++) {
        long off = ((long) g * blocks + b) * groupBytes;
        long q = off + ROWS * 4;
        int isum = 0;
        for (int c = 0; c < 2; c++) {
          if (type == GgmlType.Q4_0) {
            for (int k = 0; k < 8; k++) {
              int v = packed.get(ValueLayout.JAVA_BYTE, q + k * CHUNK + 2 * r + c) & 0xFF;
              isum += ((v & 0x0F) - 8) * x.q[b * BLOCK + 4 * k + c]
                  + ((v >>> 4) - 8) * x.q[b * BLOCK + 4 * k + 2 + c];
            }
          } else {
            for (int k = 0; k < 16; k++) {
              isum += packed.get(ValueLayout.JAVA_BYTE, q + k * CHUNK + 2 * r + c) * x.q[b * BLOCK + 2 * k + c];
            }
          }
        }
        sum = Math.fma(packed.get(FLOAT_LE, off + r * 4L) * x.d[b], (float) isum, sum);
      }
      out[g * ROWS + r] = sum;
    }
  }

  /**
   * The interleaved copy of one mapped matrix, allocated on its first product (the column count is known only then)
   * and filled group by group by the threads whose tiles first reach them, and {@link FloatTensor#dotRows} over it:
   * whole groups through the copy, rows past the last whole group row by row.
   */
  static final class Rows {
    /** One row's product the row-at-a-time kernel computes, for the rows past the last whole group. */
    interface RowDot {
      float dot(long offset, Q8Activation x);
    }

    private final GgmlType type;
    private final long size;
    private final MemorySegment src;
    private final Arena arena;
    private final RowDot rowDot;
    private volatile Interleaved copy;

    Rows(GgmlType type, long size, MemorySegment src, Arena arena, RowDot rowDot) {
      this.type = type;
      this.size = size;
      this.src = src;
      this.arena = arena;
      this.rowDot = rowDot;
    }

    void dotRows(int firstRow, int rows, Q8Activation x, float[] out, boolean scalar) {
      int cols = x.length();
      Interleaved p = copy(cols);
      int r = firstRow;
      int end = firstRow + rows;
      int grouped = p == null ? 0 : p.groups * ROWS;
      while (r < end) {
        if (r % ROWS == 0 && r + ROWS <= Math.min(end, grouped)) {
          if (p.ready.get(r / ROWS) == 0) { // copied by the thread whose tile first reaches the group
            p.fill(r / ROWS);
            p.ready.set(r / ROWS, 1);
          }
          if (scalar) {
            p.groupScalar(r / ROWS, x, out);
          } else {
            p.group(r / ROWS, x, out);
          }
          r += ROWS;
        } else {
          out[r] = rowDot.dot((long) r * cols, x);
          r++;
        }
      }
    }

    private Interleaved copy(int cols) {
      Interleaved p = copy;
      if (p == null) {
        synchronized (this) {
          p = copy;
          if (p == null) {
            p = of(type, src, (int) (size / cols), cols, arena);
            copy = p;
          }
        }
      }
      return p.cols == cols ? p : null; // one width per matrix; another width (no caller has one) goes row by row
    }
  }
}
