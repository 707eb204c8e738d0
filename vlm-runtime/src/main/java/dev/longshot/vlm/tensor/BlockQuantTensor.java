package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The kernels of the {@link BlockDecoder} types (Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K), shared by the heap copy
 * ({@link BlockTensor}) and the mapped file ({@code MappedBlockTensor}), which differ only in where a block's bytes
 * come from ({@link #decodeBlock}). Every kernel decodes whole blocks to floats: {@link #copyTo} (prefill's panels,
 * embedding rows) straight into the destination, the decode matvec ({@link #dotVector}) a chunk at a time into a
 * per-thread buffer that the Vector API FMA loop then reads. Activations stay float (no Q8 rounding).
 */
abstract class BlockQuantTensor extends FloatTensor {
  /** Floats per dot-product chunk: a whole number of blocks of every type. */
  private static final int CHUNK = 1024;
  /** Per-thread buffer of one decoded block (for {@link #get} and partial blocks in {@link #copyTo}). */
  private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[256]);
  /** Per-thread buffer of one dot-product chunk (never passed to {@link #copyTo} while {@code BLOCK} is in use). */
  private static final ThreadLocal<float[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

  protected final GgmlType type;
  protected final int block;

  BlockQuantTensor(GgmlType type, long size) {
    super(size);
    if (!BlockDecoder.handles(type)) {
      throw new IllegalArgumentException(type + " is not a block type");
    }
    this.type = type;
    this.block = type.blockSize();
  }

  /** Decodes block {@code index} into {@code dst[dstOffset .. dstOffset + block)}. */
  abstract void decodeBlock(int index, float[] dst, int dstOffset);

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
  public final void copyTo(long offset, float[] dst, int dstOffset, int n) {
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
    float[] buf = new float[Math.min(CHUNK, n)];
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

  @Override
  final float dotVector(int offset, float[] x, int xOffset, int n) {
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
