package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The kernels of the {@link BlockDecoder} types (Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K), shared by the heap copy
 * ({@link BlockTensor}) and the mapped file ({@code MappedBlockTensor}), which differ only in where a run of blocks'
 * bytes is read from ({@link #blockBase}). The decode matvec ({@link #dotVector}) multiplies whole blocks in their
 * stored form ({@link BlockDot}); {@link #copyTo} (the prefill GEMM's panels, embedding rows) decodes blocks to floats
 * straight into the destination. Activations stay float: no Q8 rounding.
 */
abstract class BlockQuantTensor extends FloatTensor {
  /** Floats per chunk of the generic dot product (unaligned ranges, the scalar path): whole blocks of every type. */
  private static final int CHUNK = 1024;
  /** Per-thread buffer of one decoded block (for {@link #get} and partial blocks in {@link #copyTo}). */
  private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[256]);
  /** Per-thread buffer of one dot-product chunk (never passed to {@link #copyTo} while {@code BLOCK} is in use). */
  private static final ThreadLocal<float[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

  protected final GgmlType type;
  protected final int block;
  protected final int bytesPerBlock;

  BlockQuantTensor(GgmlType type, long size) {
    super(size);
    if (!BlockDecoder.handles(type)) {
      throw new IllegalArgumentException(type + " is not a block type");
    }
    this.type = type;
    this.block = type.blockSize();
    this.bytesPerBlock = type.bytesPerBlock();
  }

  /**
   * Makes blocks {@code [first, first + count)} ({@code count <= }{@link #maxRun()}) readable in the array
   * {@link #blockArray()} returns next on this thread, and returns the byte index of the first there.
   */
  abstract int blockBase(int first, int count);

  /** The array {@link #blockBase} made the blocks readable in. */
  abstract byte[] blockArray();

  /** The most blocks one {@link #blockBase} call takes. */
  abstract int maxRun();

  /** Decodes block {@code index} into {@code dst[dstOffset .. dstOffset + block)}. */
  private void decodeBlock(int index, float[] dst, int dstOffset) {
    int base = blockBase(index, 1);
    BlockDecoder.decode(type, blockArray(), base, dst, dstOffset);
  }

  @Override
  public final GgmlType type() {
    return type;
  }

  @Override
  public final float get(long index) {
    float[] buf = BLOCK.get();
    decodeBlock((int) (index / block), buf, 0);
    return buf[(int) (index % block)];
  }

  @Override
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    float[] buf = null;
    int i = 0;
    while (i < n) {
      long at = offset + i;
      int index = (int) (at / block);
      int start = (int) (at % block);
      int len = Math.min(block - start, n - i);
      if (len == block) {
        decodeBlock(index, dst, dstOffset + i);
      } else {
        if (buf == null) {
          buf = BLOCK.get();
        }
        decodeBlock(index, buf, 0);
        System.arraycopy(buf, start, dst, dstOffset + i, len);
      }
      i += len;
    }
  }

  @Override
  final float dotScalar(int offset, float[] x, int xOffset, int n) {
    float[] buf = CHUNK_BUFFER.get();
    float sum = 0f;
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      copyTo((long) offset + start, buf, 0, len);
      for (int i = 0; i < len; i++) {
        sum += buf[i] * x[xOffset + start + i];
      }
    }
    return sum;
  }

  /**
   * Q4_K, Q6_K, Q5_0 and Q4_1 take a quantized activation ({@link BlockQuantDot}'s integer kernels), as llama.cpp's
   * products with them do (it rounds to Q8_K, blocks of 256, for the K-quants, to Q8_0 for Q5_0 and Q8_1 for Q4_1; this
   * runtime to
   * {@link Q8Activation}'s blocks of 32), where {@link QuantDot#ENABLED}.
   */
  @Override
  public final boolean dotsQuantized() {
    return QuantDot.ENABLED && BlockQuantDot.handles(type);
  }

  @Override
  public final float dot(long offset, Q8Activation x) {
    if (!dotsQuantized() || offset % block != 0 || x.length() % block != 0) {
      throw new UnsupportedOperationException(type + " integer dot needs whole blocks from a block boundary");
    }
    int blocks = x.length() / block;
    int first = (int) (offset / block);
    int run = maxRun();
    float sum = 0f;
    for (int b = 0; b < blocks; b += run) {
      int count = Math.min(run, blocks - b);
      int base = blockBase(first + b, count);
      sum += BlockQuantDot.dot(type, blockArray(), base, count, x, b * block);
    }
    return sum;
  }

  /** Whole blocks from a block boundary in their stored form ({@link BlockDot}), anything else by decoded chunks. */
  @Override
  final float dotVector(int offset, float[] x, int xOffset, int n) {
    if (offset % block != 0 || !BlockDot.ENABLED) {
      return dotByDecoding(offset, x, xOffset, n);
    }
    int blocks = n / block;
    int first = offset / block;
    int run = maxRun();
    float sum = 0f;
    for (int b = 0; b < blocks; b += run) {
      int count = Math.min(run, blocks - b);
      int base = blockBase(first + b, count);
      sum += BlockDot.dot(type, blockArray(), base, count, x, xOffset + b * block);
    }
    int done = blocks * block;
    return done == n ? sum : sum + dotByDecoding(offset + done, x, xOffset + done, n - done);
  }

  /** Decodes a chunk at a time into a per-thread buffer, then the float FMA loop. */
  final float dotByDecoding(int offset, float[] x, int xOffset, int n) {
    float[] buf = CHUNK_BUFFER.get();
    var f = Kernels.F;
    FloatVector acc = FloatVector.zero(f);
    float tail = 0f;
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      copyTo((long) offset + start, buf, 0, len);
      int upper = f.loopBound(len);
      int i = 0;
      for (; i < upper; i += f.length()) {
        acc = FloatVector.fromArray(f, buf, i).fma(FloatVector.fromArray(f, x, xOffset + start + i), acc);
      }
      for (; i < len; i++) {
        tail += buf[i] * x[xOffset + start + i];
      }
    }
    return acc.reduceLanes(VectorOperators.ADD) + tail;
  }
}
