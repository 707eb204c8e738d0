package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * A Q8_0, Q4_0, Q4_K, Q6_K, Q5_0 or Q4_1 (as Q4_K, see {@link Kind#Q4_1}) matrix copied once, at load ({@link Rows#prepare}), for decode's matrix-vector
 * products and prefill's dequantisation, into groups of {@link #ROWS} interleaved rows (8 with 256-bit vectors, 16 with
 * 512; llama.cpp's CPU backend repacks its blocks in the same spirit). Per group and block of 32 columns: the rows'
 * header floats ({@link Kind#headers} vectors of {@code ROWS} float32: Q8_0 / Q4_0 / Q5_0 the scale; Q4_K {@code d *
 * scale} and {@code dmin * min} of the 32-element sub-block, its 6-bit scale and min unpacked once here; Q6_K {@code d
 * * scale} of the block's two 16-element halves), then chunks of {@code 2 * ROWS} bytes, one byte per (row, column
 * parity) pair, byte {@code i} for row {@code i / 2}. Byte kinds (Q8_0, Q6_K, Q5_0) have 16 chunks, chunk {@code k}
 * holding columns {@code 2k + i % 2} as signed quants (Q6_K: {@code q - 32}, Q5_0: {@code q - 16}); nibble kinds (Q4_0,
 * Q4_K) have 8, chunk {@code k} holding the unsigned nibbles of columns {@code 4k + i % 2} (low) and {@code 4k + 2 + i
 * % 2} (high).
 *
 * <p>The kernels keep one int lane per row instead of lanes along a row. A chunk widened to shorts (nibbles:
 * zero-extended, then {@code & 15} and {@code >>> 4}; bytes: sign-extended) gives (row, column-parity) lanes that
 * multiply a broadcast pair of activation quants ({@link Q8Activation#pairs}). Q4_0 adds them into short accumulators
 * for the whole block: a lane sums 16 products of at most 8 x 127 in magnitude once the {@code - 8} is applied, which
 * fits a short; the {@code - 8} is the block's {@link Q8Activation#q4Bias}, the accumulators' starting value (the sums
 * wrap modulo 2^16 on the way and end exact). Q4_K's nibbles are 0..15, so 16 products fit without a bias, and its mins
 * are one more FMA per block with the activation's block sums ({@link Q8Activation#sums}). Q8_0 adds two chunks'
 * products in shorts (at most 2 x 128 x 127) and then into ints; Q6_K's quants are at most 32 in magnitude, so a half
 * block (8 chunks, 8 x 32 x 127) sums in shorts, and Q5_0's at most 16, so a whole block (16 x 16 x 127). Per block
 * (Q6_K: half block), one pair sum of the shorts gives the rows' integer sums, then one conversion and one FMA with the
 * rows' scales times the activation's: no horizontal sum per row. Float sums are in block order per row, as in the
 * scalar twin. Dequantised values ({@link #copyRow}) are the same floats the file's decoders give ({@code d * (q - 8)},
 * {@code d * q}, {@code (d * scale) * q - dmin * min}, {@code (d * scale) * (q - 32)}, {@code d * (q - 16)}).
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
  private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
  private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, LE);

  /** Whether the vector kernels run here: the Vector API kernels with vectors of at least 256 bits. */
  static final boolean ENABLED = Kernels.VECTORIZED && QuantDot.ENABLED;

  /** The stored types that have an interleaved layout, and the shape of one group's block in it. */
  enum Kind {
    Q4_0(GgmlType.Q4_0, true, 1),
    Q8_0(GgmlType.Q8_0, false, 1),
    Q4_K(GgmlType.Q4_K, true, 2),
    Q6_K(GgmlType.Q6_K, false, 2),
    Q5_0(GgmlType.Q5_0, false, 1),
    /** Q4_K's shape, one 32-column block per stored block: headers {@code d} and {@code -m} ({@code d * q - (-m)}). */
    Q4_1(GgmlType.Q4_1, true, 2);

    final GgmlType type;
    /** Nibble chunks (8 per block) rather than byte chunks (16). */
    final boolean nibbles;
    /** Vectors of {@code ROWS} header floats per group and block. */
    final int headers;

    Kind(GgmlType type, boolean nibbles, int headers) {
      this.type = type;
      this.nibbles = nibbles;
      this.headers = headers;
    }

    int chunks() {
      return nibbles ? 8 : 16;
    }

    /** Bytes per group and block: the header floats, then the chunks. */
    long groupBytes() {
      return (long) headers * ROWS * 4 + (long) chunks() * CHUNK;
    }

    /** The kind of {@code type}, or null where it has none. */
    static Kind of(GgmlType type) {
      for (Kind k : values()) {
        if (k.type == type) {
          return k;
        }
      }
      return null;
    }
  }

  private final Kind kind;
  private final MemorySegment src;
  private final MemorySegment packed;
  final int cols;
  final int groups;
  /** Bytes per group and block: the headers, then the chunks. */
  private final long groupBytes;
  private final long chunkStart;

  private Interleaved(Kind kind, MemorySegment src, MemorySegment packed, int cols, int groups) {
    this.kind = kind;
    this.src = src;
    this.packed = packed;
    this.cols = cols;
    this.groups = groups;
    this.groupBytes = kind.groupBytes();
    this.chunkStart = (long) kind.headers * ROWS * 4;
  }

  /** Bytes of the copy of a {@code rows x cols} matrix: what the interleaved copy costs in memory. */
  static long copyBytes(GgmlType type, int rows, int cols) {
    Kind k = Kind.of(type);
    return k == null ? 0 : (long) (rows / ROWS) * (cols / BLOCK) * k.groupBytes();
  }

  /**
   * Room in {@code arena} for the first {@code rows / ROWS * ROWS} rows of the matrix {@code src} (the file's blocks)
   * in the interleaved layout; {@link #fill} copies groups into it.
   */
  static Interleaved of(GgmlType type, MemorySegment src, int rows, int cols, Arena arena) {
    return new Interleaved(Kind.of(type), src, LayoutMemory.allocate(arena, copyBytes(type, rows, cols)), cols,
        rows / ROWS);
  }

  /**
   * Copies groups {@code [from, to)} from the file's blocks: per group, its rows' bytes in one copy from the file into
   * the heap, unpacked and interleaved there, and the group's layout in one copy into the arena.
   */
  void fill(int from, int to) {
    int blocks = cols / BLOCK;
    int per = kind.type.blockSize() / BLOCK; // 32-column blocks per stored block: 1, or 8 for K-quants
    int stored = kind.type.bytesPerBlock();
    int rowBytes = blocks / per * stored;
    int gb = (int) groupBytes;
    int q0 = (int) chunkStart;
    byte[] in = new byte[ROWS * rowBytes];
    byte[] out = new byte[blocks * gb];
    int[] w = new int[per * ROWS * BLOCK]; // [sub-block][row][32] quants as the layout stores them
    float[] head = new float[per * kind.headers * ROWS]; // [sub-block][header][row]
    for (int g = from; g < to; g++) {
      MemorySegment.copy(src, ValueLayout.JAVA_BYTE, (long) g * ROWS * rowBytes, in, 0, in.length);
      for (int sb = 0; sb < blocks / per; sb++) {
        for (int r = 0; r < ROWS; r++) {
          unpack(in, r * rowBytes + sb * stored, r, w, head);
        }
        for (int s = 0; s < per; s++) {
          int o = (sb * per + s) * gb;
          for (int h = 0; h < kind.headers * ROWS; h++) {
            FLOATS.set(out, o + 4 * h, head[s * kind.headers * ROWS + h]);
          }
          int q = o + q0;
          int wb = s * ROWS * BLOCK;
          for (int i = 0; i < CHUNK; i++) {
            int rw = wb + i / 2 * BLOCK + i % 2;
            if (kind.nibbles) {
              for (int k = 0; k < 8; k++) {
                out[q + k * CHUNK + i] = (byte) (w[rw + 4 * k] | w[rw + 4 * k + 2] << 4);
              }
            } else {
              for (int k = 0; k < 16; k++) {
                out[q + k * CHUNK + i] = (byte) w[rw + 2 * k];
              }
            }
          }
        }
      }
      MemorySegment.copy(out, 0, packed, ValueLayout.JAVA_BYTE, (long) g * blocks * gb, out.length);
    }
  }

  /**
   * Row {@code r}'s stored block at {@code raw[o..]} into {@code w[s][r][32]} (the quants as the layout stores them)
   * and {@code head[s][h][r]} for its 32-column sub-blocks {@code s}.
   */
  private void unpack(byte[] raw, int o, int r, int[] w, float[] head) {
    int hs = kind.headers * ROWS;
    switch (kind) {
      case Q4_0 -> {
        head[r] = BlockDecoder.half(raw, o);
        for (int j = 0; j < 16; j++) {
          w[r * BLOCK + j] = raw[o + 2 + j] & 0x0F;
          w[r * BLOCK + 16 + j] = (raw[o + 2 + j] & 0xFF) >>> 4;
        }
      }
      case Q8_0 -> {
        head[r] = BlockDecoder.half(raw, o);
        for (int j = 0; j < BLOCK; j++) {
          w[r * BLOCK + j] = raw[o + 2 + j];
        }
      }
      case Q4_K -> { // BlockDecoder.q4K's layout
        float d = BlockDecoder.half(raw, o);
        float dmin = BlockDecoder.half(raw, o + 2);
        for (int s = 0; s < 8; s++) {
          head[s * hs + r] = d * BlockDecoder.scale(raw, o + 4, s);
          head[s * hs + ROWS + r] = dmin * BlockDecoder.min(raw, o + 4, s);
          int q = o + 16 + 32 * (s / 2);
          int shift = 4 * (s % 2);
          int wo = (s * ROWS + r) * BLOCK;
          for (int l = 0; l < BLOCK; l++) {
            w[wo + l] = (raw[q + l] >> shift) & 0x0F;
          }
        }
      }
      case Q4_1 -> { // BlockDecoder.q4_1's layout
        head[r] = BlockDecoder.half(raw, o);
        head[ROWS + r] = -BlockDecoder.half(raw, o + 2);
        for (int j = 0; j < 16; j++) {
          w[r * BLOCK + j] = raw[o + 4 + j] & 0x0F;
          w[r * BLOCK + 16 + j] = (raw[o + 4 + j] >> 4) & 0x0F;
        }
      }
      case Q5_0 -> { // BlockDecoder.q5_0's layout
        head[r] = BlockDecoder.half(raw, o);
        int qh = BlockDecoder.u32(raw, o + 2);
        for (int j = 0; j < 16; j++) {
          w[r * BLOCK + j] = ((raw[o + 6 + j] & 0x0F) | ((qh >>> j) & 1) << 4) - 16;
          w[r * BLOCK + 16 + j] = (((raw[o + 6 + j] >> 4) & 0x0F) | ((qh >>> (j + 16)) & 1) << 4) - 16;
        }
      }
      case Q6_K -> { // BlockDecoder.q6K's layout
        float d = BlockDecoder.half(raw, o + 208);
        for (int s = 0; s < 8; s++) {
          int half = s / 4;
          int k = s % 4;
          int lq = o + 64 * half + 32 * (k & 1);
          int qh = o + 128 + 32 * half;
          int shift = 4 * (k >> 1);
          int sc = o + 192 + 8 * half + 2 * k;
          head[s * hs + r] = d * raw[sc];
          head[s * hs + ROWS + r] = d * raw[sc + 1];
          int wo = (s * ROWS + r) * BLOCK;
          for (int l = 0; l < BLOCK; l++) {
            w[wo + l] = (((raw[lq + l] >> shift) & 0x0F) | ((raw[qh + l] >> (2 * k)) & 3) << 4) - 32;
          }
        }
      }
    }
  }

  /**
   * Dequantises {@code n} elements of row {@code row} (in a whole group) from column {@code col} into
   * {@code dst[dstOffset..]}: the same floats the file's blocks decode to.
   */
  void copyRow(int row, int col, float[] dst, int dstOffset, int n) {
    int g = row / ROWS;
    int lane = row % ROWS;
    int blocks = cols / BLOCK;
    int i = 0;
    while (i < n) {
      int c = col + i;
      int b = c / BLOCK;
      int j0 = c % BLOCK;
      int len = Math.min(BLOCK - j0, n - i);
      long off = ((long) g * blocks + b) * groupBytes;
      long q = off + chunkStart + 2L * lane;
      float h0 = packed.get(FLOAT_LE, off + lane * 4L);
      float h1 = kind.headers > 1 ? packed.get(FLOAT_LE, off + (ROWS + lane) * 4L) : 0f;
      if (len == BLOCK) { // a whole block: the lane's two bytes of each chunk in one read
        copyBlock(q, h0, h1, dst, dstOffset + i);
        i += len;
        continue;
      }
      for (int j = j0; j < j0 + len; j++) {
        float v;
        if (kind.nibbles) {
          int byt = packed.get(ValueLayout.JAVA_BYTE, q + (j / 4) * (long) CHUNK + (j & 1)) & 0xFF;
          int nib = (j & 2) == 0 ? byt & 0x0F : byt >>> 4;
          v = kind == Kind.Q4_0 ? h0 * (nib - 8) : h0 * nib - h1;
        } else {
          int qv = packed.get(ValueLayout.JAVA_BYTE, q + (j / 2) * (long) CHUNK + (j & 1));
          v = (kind == Kind.Q6_K && j >= 16 ? h1 : h0) * qv;
        }
        dst[dstOffset + i + j - j0] = v;
      }
      i += len;
    }
  }

  /** {@link #copyRow}'s whole block from the lane's chunk bytes at {@code q}: the same floats, half the reads. */
  private void copyBlock(long q, float h0, float h1, float[] dst, int o) {
    if (kind.nibbles) {
      boolean q40 = kind == Kind.Q4_0;
      for (int k = 0; k < 8; k++) {
        int v = packed.get(SHORT_LE, q + (long) k * CHUNK);
        int b0 = v & 0xFF; // column parity 0: columns 4k (low nibble), 4k + 2 (high)
        int b1 = (v >>> 8) & 0xFF; // parity 1: columns 4k + 1, 4k + 3
        int d = o + 4 * k;
        if (q40) {
          dst[d] = h0 * ((b0 & 0x0F) - 8);
          dst[d + 1] = h0 * ((b1 & 0x0F) - 8);
          dst[d + 2] = h0 * ((b0 >>> 4) - 8);
          dst[d + 3] = h0 * ((b1 >>> 4) - 8);
        } else {
          dst[d] = h0 * (b0 & 0x0F) - h1;
          dst[d + 1] = h0 * (b1 & 0x0F) - h1;
          dst[d + 2] = h0 * (b0 >>> 4) - h1;
          dst[d + 3] = h0 * (b1 >>> 4) - h1;
        }
      }
    } else {
      boolean halves = kind == Kind.Q6_K;
      for (int k = 0; k < 16; k++) {
        short v = packed.get(SHORT_LE, q + (long) k * CHUNK);
        float h = halves && k >= 8 ? h1 : h0;
        dst[o + 2 * k] = h * (byte) v;
        dst[o + 2 * k + 1] = h * (v >> 8);
      }
    }
  }

  /** {@code out[ROWS * g + r] = row (ROWS * g + r) . x} for the rows of group {@code g}. */
  void group(int g, Q8Activation x, float[] out) {
    switch (kind) {
      case Q4_0 -> q4(g, x, out);
      case Q8_0 -> q8(g, x, out);
      case Q4_K, Q4_1 -> q4K(g, x, out);
      case Q6_K -> q6K(g, x, out);
      case Q5_0 -> q5(g, x, out);
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
      long q = off + chunkStart;
      int xb = b * (BLOCK / 2);
      ShortVector s = IntVector.broadcast(I, bias[b]).reinterpretAsShorts();
      for (int k = 0; k < 8; k++) { // written out here and in q4K: C2 compiles it well only inline
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

  private void q4K(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    float[] xd = x.d;
    float[] xs = x.sums;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * groupBytes;
    FloatVector acc = FloatVector.zero(F);
    ShortVector zero = ShortVector.zero(S);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + chunkStart;
      int xb = b * (BLOCK / 2);
      ShortVector s = zero;
      for (int k = 0; k < 8; k++) {
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B, packed, q + k * CHUNK, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
        ShortVector lo = IntVector.broadcast(I, xp[xb + 2 * k]).reinterpretAsShorts();
        ShortVector hi = IntVector.broadcast(I, xp[xb + 2 * k + 1]).reinterpretAsShorts();
        s = s.add(w.and((short) 0x0F).mul(lo)).add(w.lanewise(VectorOperators.LSHR, 4).mul(hi));
      }
      acc = blockSum(pairSums(s), off, xd[b], acc);
      acc = FloatVector.fromMemorySegment(F, packed, off + ROWS * 4L, LE).fma(FloatVector.broadcast(F, -xs[b]), acc);
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
      long q = off + chunkStart;
      int xb = b * (BLOCK / 2);
      IntVector sums = IntVector.zero(I);
      for (int k = 0; k < 16; k += 2) {
        ShortVector w0 = byteChunk(q + k * CHUNK);
        ShortVector w1 = byteChunk(q + (k + 1) * CHUNK);
        ShortVector p = w0.mul(IntVector.broadcast(I, xp[xb + k]).reinterpretAsShorts())
            .add(w1.mul(IntVector.broadcast(I, xp[xb + k + 1]).reinterpretAsShorts()));
        sums = sums.add(pairSums(p));
      }
      acc = blockSum(sums, off, xd[b], acc);
    }
    acc.intoArray(out, g * ROWS);
  }

  private void q6K(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    float[] xd = x.d;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * groupBytes;
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + chunkStart;
      int xb = b * (BLOCK / 2);
      for (int h = 0; h < 2; h++) { // columns 0-15, then 16-31: one scale each
        ShortVector p = ShortVector.zero(S);
        for (int k = 8 * h; k < 8 * h + 8; k++) {
          p = p.add(byteChunk(q + k * CHUNK).mul(IntVector.broadcast(I, xp[xb + k]).reinterpretAsShorts()));
        }
        acc = blockSum(pairSums(p), off + h * ROWS * 4L, xd[b], acc);
      }
    }
    acc.intoArray(out, g * ROWS);
  }

  private void q5(int g, Q8Activation x, float[] out) {
    int[] xp = x.pairs;
    float[] xd = x.d;
    int blocks = cols / BLOCK;
    long base = (long) g * blocks * groupBytes;
    FloatVector acc = FloatVector.zero(F);
    ShortVector zero = ShortVector.zero(S);
    for (int b = 0; b < blocks; b++) {
      long off = base + b * groupBytes;
      long q = off + chunkStart;
      int xb = b * (BLOCK / 2);
      ShortVector p = zero; // the whole block in shorts: 16 products of at most 16 x 127 per lane
      for (int k = 0; k < 16; k++) {
        p = p.add(byteChunk(q + k * CHUNK).mul(IntVector.broadcast(I, xp[xb + k]).reinterpretAsShorts()));
      }
      acc = blockSum(pairSums(p), off, xd[b], acc);
    }
    acc.intoArray(out, g * ROWS);
  }

  private ShortVector byteChunk(long at) {
    return (ShortVector) ByteVector.fromMemorySegment(B, packed, at, LE).convertShape(VectorOperators.B2S, S, 0);
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
        long q = off + chunkStart + 2L * r;
        int[] isum = new int[2]; // per half block: columns 0-15, 16-31
        for (int j = 0; j < BLOCK; j++) {
          int w;
          if (kind.nibbles) {
            int v = packed.get(ValueLayout.JAVA_BYTE, q + (j / 4) * (long) CHUNK + (j & 1)) & 0xFF;
            w = ((j & 2) == 0 ? v & 0x0F : v >>> 4) - (kind == Kind.Q4_0 ? 8 : 0);
          } else {
            w = packed.get(ValueLayout.JAVA_BYTE, q + (j / 2) * (long) CHUNK + (j & 1));
          }
          isum[j / 16] += w * x.q[b * BLOCK + j];
        }
        float h0 = packed.get(FLOAT_LE, off + r * 4L);
        if (kind == Kind.Q6_K) {
          sum = Math.fma(h0 * x.d[b], (float) isum[0], sum);
          sum = Math.fma(packed.get(FLOAT_LE, off + (ROWS + r) * 4L) * x.d[b], (float) isum[1], sum);
        } else {
          sum = Math.fma(h0 * x.d[b], (float) (isum[0] + isum[1]), sum);
          if (kind == Kind.Q4_K || kind == Kind.Q4_1) {
            sum = Math.fma(packed.get(FLOAT_LE, off + (ROWS + r) * 4L), -x.sums[b], sum);
          }
        }
      }
      out[g * ROWS + r] = sum;
    }
  }

  /**
   * The interleaved copy of one mapped matrix, built once at load ({@link #prepare}, over the model's threads, the
   * column count then known from the model's shapes): {@link FloatTensor#dotRows} over it (whole groups through the
   * copy, rows past the last whole group row by row from the file) and the dequantisation of its rows
   * ({@link #copy}). Once built, the file's pages of the matrix are released from this process ({@code unload}), as
   * nothing reads the whole groups' rows from the file again. A tensor never prepared keeps the row-at-a-time kernel
   * on the file.
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

    /** Bytes {@link #prepare} allocates for a matrix of {@code cols} columns (0 where it builds nothing). */
    long bytes(int cols) {
      return usable(cols) ? copyBytes(type, (int) (size / cols), cols) : 0;
    }

    private boolean usable(int cols) {
      return QuantDot.ENABLED && cols > 0 && cols % type.blockSize() == 0 && size % cols == 0
          && size / cols >= ROWS && Kind.of(type) != null;
    }

    /** Builds the copy for a matrix of {@code cols} columns over {@code par}'s threads; once (later calls return). */
    synchronized void prepare(int cols, Parallel par) {
      if (copy != null || !usable(cols)) {
        return;
      }
      Interleaved p = of(type, src, (int) (size / cols), cols, arena);
      par.forRange(p.groups, 1, p::fill);
      copy = p;
      if (src.isMapped()) {
        src.unload(); // whole groups are read from the copy from now on
      }
    }

    void dotRows(int firstRow, int rows, Q8Activation x, float[] out, boolean scalar) {
      int cols = x.length();
      Interleaved p = copy;
      int grouped = p == null || p.cols != cols ? 0 : p.groups * ROWS;
      int r = firstRow;
      int end = firstRow + rows;
      while (r < end) {
        if (r % ROWS == 0 && r + ROWS <= Math.min(end, grouped)) {
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

    /**
     * Elements {@code [offset, offset + n)} dequantised into {@code dst[dstOffset..]} from the copy where it holds
     * them; returns how many leading elements it wrote (0 where the copy does not hold element {@code offset}: no
     * copy, or a row past the last whole group).
     */
    int copy(long offset, float[] dst, int dstOffset, int n) {
      Interleaved p = copy;
      if (p == null) {
        return 0;
      }
      int done = 0;
      while (done < n) {
        long at = offset + done;
        long row = at / p.cols;
        if (row >= (long) p.groups * ROWS) {
          break;
        }
        int col = (int) (at % p.cols);
        int len = Math.min(p.cols - col, n - done);
        p.copyRow((int) row, col, dst, dstOffset + done, len);
        done += len;
      }
      return done;
    }

    /** The interleaved copy once {@link #prepare} built it, else null: for prefill's {@link BlockedBf16}. */
    Interleaved layout() {
      return copy;
    }
  }

  /** The stored kind: for prefill's {@link BlockedBf16}, which reads the groups directly. */
  Kind kind() {
    return kind;
  }

  /** The copy's memory: per group and block, the header floats, then the chunks. */
  MemorySegment packed() {
    return packed;
  }

  /** Bytes per group and 32-column block. */
  long groupBytes() {
    return groupBytes;
  }

  /** Offset of the first chunk within a group's block (after the header floats). */
  long chunkStart() {
    return chunkStart;
  }
}
