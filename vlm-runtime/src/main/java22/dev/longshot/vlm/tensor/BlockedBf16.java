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
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill's weights for oneDNN's bfloat16 matmul, dequantised straight into the blocked layout its AMX kernels read
 * (oneDNN's {@code BA16a16b2a} for the {@code cols x rows} weights matrix): per block of {@value #N_BLOCK} rows, the
 * whole row range of columns as pairs, {@code [column pair][row in block][column parity]}, i.e. the bf16 of
 * {@code w[16 nb + r][2 p + i]} at element {@code (nb * pairs + p) * 32 + 2 r + i} with {@code pairs =
 * ceil(cols / 16) * 8}; rows past the matrix and columns past {@code cols} are zeros. oneDNN then multiplies without
 * reordering the weights.
 *
 * <p>Groups of a decode layout ({@link Interleaved}, 16 rows per group, built at load for Q8_0, Q4_0, Q4_K and Q6_K)
 * already hold that order: a chunk is one column pair (byte kinds) or two (nibbles) of the group's 16 rows. They are
 * dequantised with the Vector API a chunk at a time (32 quants widened to floats, times the rows' scales, rounded to
 * bfloat16 and stored as 64 contiguous bytes), the same floats {@link FloatTensor#copyTo} gives, so the same bf16.
 * Every other block of rows (other types and storages, rows past the last whole group) is dequantised by
 * {@code copyTo}, converted to bf16 and transposed into pairs. Rounding is to nearest even, NaN kept NaN, as
 * {@link NativeGemm#toBf16(float[], short[], int)}.
 */
final class BlockedBf16 {
  /** Rows per block of the layout (oneDNN's inner {@code 16b}). */
  static final int N_BLOCK = 16;
  /** Columns per block of the layout (oneDNN's inner {@code 16a}): {@code cols} is padded to it. */
  static final int K_BLOCK = 16;
  private static final int BLOCK = 32;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
  private static final ByteVector LOW = ByteVector.broadcast(B, (byte) 0x0F);
  private static final ByteVector EIGHT = ByteVector.broadcast(B, (byte) 8);
  /** Lanes {@code (r, parity)} of rows 0-7 and 8-15 take row {@code r}'s scale. */
  private static final VectorShuffle<Float> LOW_ROWS = VectorShuffle.fromOp(F, i -> i / 2);
  private static final VectorShuffle<Float> HIGH_ROWS = VectorShuffle.fromOp(F, i -> 8 + i / 2);
  /** Whether the group kernel runs here: 16-row interleaved groups and 512-bit float vectors. */
  static final boolean GROUPS = Interleaved.ENABLED && Interleaved.ROWS == N_BLOCK && Kernels.F.length() == 16;
  private static final ThreadLocal<Tile> TILES = new ThreadLocal<>();
  private static final ThreadLocal<float[]> SCALES = ThreadLocal.withInitial(() -> new float[16]);
  private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

  private BlockedBf16() {}

  /** Column pairs per block of rows: {@code cols} padded to {@link #K_BLOCK}, halved. */
  static int pairs(int cols) {
    return (cols + K_BLOCK - 1) / K_BLOCK * (K_BLOCK / 2);
  }

  /** Bytes of the layout of {@code rows x cols} weights (rows padded to {@link #N_BLOCK}). */
  static long bytes(int rows, int cols) {
    return (long) (rows + N_BLOCK - 1) / N_BLOCK * pairs(cols) * N_BLOCK * 2 * Short.BYTES;
  }

  /**
   * Rows {@code [r0, r0 + count)} of the {@code cols}-column matrix {@code w} in the layout into {@code out} from
   * offset 0, by all of {@code par}'s threads; {@code r0} a multiple of {@link #N_BLOCK}.
   */
  static void write(Parallel par, FloatTensor w, int r0, int count, int cols, MemorySegment out) {
    if (r0 % N_BLOCK != 0) {
      throw new IllegalArgumentException("first row " + r0 + " is not a multiple of " + N_BLOCK);
    }
    Interleaved layout = GROUPS ? layoutOf(w, cols) : null;
    int blocks = (count + N_BLOCK - 1) / N_BLOCK;
    long blockBytes = (long) pairs(cols) * N_BLOCK * 2 * Short.BYTES;
    par.forRange(blocks, 1, (from, to) -> {
      for (int nb = from; nb < to; nb++) {
        int row = r0 + nb * N_BLOCK;
        int rows = Math.min(N_BLOCK, r0 + count - row);
        long at = nb * blockBytes;
        if (layout != null && rows == N_BLOCK && row / N_BLOCK < layout.groups) {
          group(layout, row / N_BLOCK, out, at);
        } else {
          rows(w, row, rows, cols, out, at);
        }
      }
    });
  }

  /**
   * Whether {@code w}'s rows are dequantised here by the group kernels (a decode layout in 16-row groups): else the
   * plain row-major bf16 of {@code copyTo} is as fast to write and oneDNN reorders it itself.
   */
  static boolean hasGroups(FloatTensor w, int cols) {
    return GROUPS && layoutOf(w, cols) != null;
  }

  /** The decode layout of {@code w} when it has one for {@code cols} columns in 16-row groups, else null. */
  static Interleaved layoutOf(FloatTensor w, int cols) {
    Interleaved p = switch (w) {
      case MappedQuantTensor m -> m.layout();
      case MappedBlockTensor m -> m.layout();
      default -> null;
    };
    return p != null && p.cols == cols && cols % BLOCK == 0 ? p : null;
  }

  /**
   * Group {@code g} of {@code p} (16 rows, all columns) in the layout at {@code out[at..]}. One method per kind: C2
   * inlines the vector calls of one kernel within its budget, not of four (the later ones then ran on the Vector
   * API's Java fallback, 7x slower).
   */
  private static void group(Interleaved p, int g, MemorySegment out, long at) {
    MemorySegment packed = p.packed();
    long groupBytes = p.groupBytes();
    long base = (long) g * (p.cols / BLOCK) * groupBytes;
    long chunkStart = p.chunkStart();
    switch (p.kind()) {
      case Q8_0, Q5_0 -> q8(packed, base, groupBytes, chunkStart, p.cols / BLOCK, out, at); // Q5_0 stores q - 16
      case Q6_K -> q6K(packed, base, groupBytes, chunkStart, p.cols / BLOCK, out, at);
      case Q4_0 -> q4(packed, base, groupBytes, chunkStart, p.cols / BLOCK, out, at);
      case Q4_K, Q4_1 -> q4K(packed, base, groupBytes, chunkStart, p.cols / BLOCK, out, at); // Q4_1: d, -m
    }
  }

  /** Bytes of one column pair of 16 rows in bf16, and of one chunk of the decode layout. */
  private static final int PAIR = N_BLOCK * 2 * Short.BYTES;
  private static final int CHUNK = 2 * N_BLOCK;

  /** Q8_0: {@code d * q}; chunk k holds columns 2k, 2k + 1 of the block. */
  private static void q8(MemorySegment packed, long base, long groupBytes, long chunkStart, int blocks,
      MemorySegment out, long at) {
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + chunkStart;
      long o = at + (long) b * (BLOCK / 2) * PAIR;
      FloatVector h0 = FloatVector.fromMemorySegment(F, packed, off, LE);
      FloatVector lo0 = h0.rearrange(LOW_ROWS);
      FloatVector hi0 = h0.rearrange(HIGH_ROWS);
      for (int k = 0; k < 16; k++) {
        long c = q + (long) k * CHUNK;
        store(bytes(packed, c).mul(lo0), out, o + (long) k * PAIR);
        store(bytes(packed, c + N_BLOCK).mul(hi0), out, o + (long) k * PAIR + PAIR / 2);
      }
    }
  }

  /** Q6_K: {@code (d * scale) * (q - 32)}, columns 0-15 of the block with the first header, 16-31 the second. */
  private static void q6K(MemorySegment packed, long base, long groupBytes, long chunkStart, int blocks,
      MemorySegment out, long at) {
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + chunkStart;
      long o = at + (long) b * (BLOCK / 2) * PAIR;
      for (int half = 0; half < 2; half++) {
        FloatVector h = FloatVector.fromMemorySegment(F, packed, off + half * N_BLOCK * 4L, LE);
        FloatVector lo = h.rearrange(LOW_ROWS);
        FloatVector hi = h.rearrange(HIGH_ROWS);
        for (int k = 8 * half; k < 8 * half + 8; k++) {
          long c = q + (long) k * CHUNK;
          store(bytes(packed, c).mul(lo), out, o + (long) k * PAIR);
          store(bytes(packed, c + N_BLOCK).mul(hi), out, o + (long) k * PAIR + PAIR / 2);
        }
      }
    }
  }

  /** Q4_0: {@code d * (q - 8)}; chunk k: low nibbles columns 4k, 4k + 1, high nibbles 4k + 2, 4k + 3. */
  private static void q4(MemorySegment packed, long base, long groupBytes, long chunkStart, int blocks,
      MemorySegment out, long at) {
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long o = at + (long) b * (BLOCK / 2) * PAIR;
      q4Half(packed, off, 0, off + chunkStart, out, o);
      q4Half(packed, off, 8, off + chunkStart + N_BLOCK, out, o + PAIR / 2);
    }
  }

  /**
   * Rows {@code rowBase .. rowBase + 7} of a Q4_0 block (the half chunks at {@code q}): a method per half, as C2
   * stops inlining the vector calls of a larger loop (NodeCountInliningCutoff) and runs them on the Vector API's Java
   * fallback, 7x slower.
   */
  private static void q4Half(MemorySegment packed, long off, int rowBase, long q, MemorySegment out, long o) {
    FloatVector d = scales(packed, off, rowBase);
    for (int k = 0; k < 8; k++) {
      ByteVector a = ByteVector.fromMemorySegment(B, packed, q + (long) k * CHUNK, LE);
      store(floats(a.and(LOW).sub(EIGHT)).mul(d), out, o + 2L * k * PAIR);
      store(floats(high(a).sub(EIGHT)).mul(d), out, o + 2L * k * PAIR + PAIR);
    }
  }

  /** Q4_K: {@code (d * scale) * q - dmin * min} (two roundings, as copyTo), nibbles as Q4_0's. */
  private static void q4K(MemorySegment packed, long base, long groupBytes, long chunkStart, int blocks,
      MemorySegment out, long at) {
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long o = at + (long) b * (BLOCK / 2) * PAIR;
      q4KHalf(packed, off, 0, off + chunkStart, out, o);
      q4KHalf(packed, off, 8, off + chunkStart + N_BLOCK, out, o + PAIR / 2);
    }
  }

  /** Rows {@code rowBase .. rowBase + 7} of a Q4_K block: as {@link #q4Half}. */
  private static void q4KHalf(MemorySegment packed, long off, int rowBase, long q, MemorySegment out, long o) {
    FloatVector d = scales(packed, off, rowBase);
    FloatVector m = scales(packed, off + N_BLOCK * 4L, rowBase);
    for (int k = 0; k < 8; k++) {
      ByteVector a = ByteVector.fromMemorySegment(B, packed, q + (long) k * CHUNK, LE);
      store(floats(a.and(LOW)).mul(d).sub(m), out, o + 2L * k * PAIR);
      store(floats(high(a)).mul(d).sub(m), out, o + 2L * k * PAIR + PAIR);
    }
  }

  /** Header floats of rows {@code rowBase .. rowBase + 7} at {@code m[off..]}, each twice (the column parities). */
  private static FloatVector scales(MemorySegment m, long off, int rowBase) {
    float[] t = SCALES.get();
    for (int i = 0; i < 16; i++) {
      t[i] = m.get(FLOAT_LE, off + 4L * (rowBase + i / 2));
    }
    return FloatVector.fromArray(F, t, 0);
  }

  /** The byte lanes of {@code v} as floats. */
  private static FloatVector floats(ByteVector v) {
    return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
  }

  /** The high nibble of each byte of {@code v} (a shift of short lanes: x86 has no byte shift). */
  private static ByteVector high(ByteVector v) {
    return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and(LOW);
  }

  /** The 16 bytes at {@code m[at..]}, sign-extended to floats. */
  private static FloatVector bytes(MemorySegment m, long at) {
    return floats(ByteVector.fromMemorySegment(B, m, at, LE));
  }

  /** The 16 floats of {@code f} as bfloat16 (nearest even, NaN kept NaN) at {@code out[off..off + 32)}. */
  private static void store(FloatVector f, MemorySegment out, long off) {
    IntVector b = f.reinterpretAsInts();
    IntVector r = b.add(b.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7fff).lanewise(VectorOperators.LSHR, 16);
    r = r.blend(0x7fc0, b.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
    ((ShortVector) r.convertShape(VectorOperators.I2S, S, 0)).intoMemorySegment(out, off, LE);
  }

  /**
   * Rows {@code [row, row + rows)} ({@code rows <= 16}) through {@code copyTo}: each row's bf16 pairs transposed
   * into the calling thread's tile ({@code [pair][16 rows]} as ints), then the tile in one copy to {@code out[at..]}.
   */
  private static void rows(FloatTensor w, int row, int rows, int cols, MemorySegment out, long at) {
    int pairs = pairs(cols);
    Tile t = TILES.get();
    if (t == null || t.pairs.length < pairs * N_BLOCK || t.row.length < 2 * pairs) {
      t = new Tile(pairs, cols);
      TILES.set(t);
    }
    int[] tile = t.pairs;
    java.util.Arrays.fill(tile, 0, pairs * N_BLOCK, 0);
    float[] f = t.row;
    short[] h = t.bf16;
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(f, cols, 2 * pairs, 0f);
      w.copyTo((long) (row + r) * cols, f, 0, cols);
      bf16(f, h, 2 * pairs);
      for (int p = 0; p < pairs; p++) {
        tile[p * N_BLOCK + r] = (h[2 * p] & 0xFFFF) | h[2 * p + 1] << 16;
      }
    }
    MemorySegment.copy(tile, 0, out, ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE), at, pairs * N_BLOCK);
  }

  /** {@code h[i] = bfloat16(f[i])} for {@code i < n} ({@code n} a multiple of 16), as {@link #store} rounds. */
  private static void bf16(float[] f, short[] h, int n) {
    for (int i = 0; i < n; i += F.length()) {
      IntVector b = FloatVector.fromArray(F, f, i).reinterpretAsInts();
      IntVector r = b.add(b.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7fff)
          .lanewise(VectorOperators.LSHR, 16);
      r = r.blend(0x7fc0, b.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
      ((ShortVector) r.convertShape(VectorOperators.I2S, S, 0)).intoArray(h, i);
    }
  }

  /** A thread's buffers for {@link #rows}. */
  private static final class Tile {
    final int[] pairs;
    final float[] row;
    final short[] bf16;

    Tile(int pairs, int cols) {
      this.pairs = new int[pairs * N_BLOCK];
      this.row = new float[2 * pairs];
      this.bf16 = new short[2 * pairs];
    }
  }

  /**
   * Rows {@code [r0, r0 + count)} of {@code w} in the layout as a fresh array, on {@code threads} threads: for the
   * test that compares it with {@code copyTo} (reached by reflection).
   */
  static short[] toArray(FloatTensor w, int r0, int count, int cols, int threads) {
    try (Arena a = Arena.ofShared(); Parallel par = new Parallel(threads)) {
      MemorySegment m = a.allocate(bytes(count, cols), 64);
      m.fill((byte) 0x55); // every byte of the layout must be written, padding included
      write(par, w, r0, count, cols, m);
      return m.toArray(ValueLayout.JAVA_SHORT);
    }
  }
}
