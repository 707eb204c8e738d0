package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A read-only one-dimensional array of model weights in one of the {@link GgmlType}s: either held in heap arrays
 * decoded once from the model file (one class per type here, the Java 21 path) or read in place from the mapped file
 * (one {@code Mapped*Tensor} per type in src/main/java22; see {@link WeightStorage}). Every kernel reaches the weights
 * through the per-type methods this class declares, so both storages share everything above them: the matvec dot
 * products ({@link #dot(long, float[], int, int)}, and {@link #dot(long, Q8Activation)} for Q8_0 / Q4_0) and the
 * dequantisation of a run of elements ({@link #copyTo}, which the prefill GEMM packs its tiles from). Matrices are row-major: element {@code (r, c)} of a matrix with {@code cols} columns is at
 * {@code r*cols+c}. Kernels take element offsets; for quantized types they must be multiples of the block size (32).
 * Instances are immutable and safe to share between threads.
 */
public abstract class FloatTensor {
  protected final long size;

  protected FloatTensor(long size) {
    this.size = size;
  }

  /** Decodes {@code type.byteSize(size)} little-endian bytes from {@code bytes}' position into a tensor. */
  public static FloatTensor of(GgmlType type, ByteBuffer bytes, long size) {
    long need = type.byteSize(size);
    if (bytes.remaining() < need) {
      throw new IllegalArgumentException(type + " tensor of " + size + " elements needs " + need + " bytes, got "
          + bytes.remaining());
    }
    checkedBytes(type, size, 0, bytes.remaining());
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) size;
    return switch (type) {
      case F32 -> {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        yield new F32Tensor(a);
      }
      case F16, BF16 -> {
        short[] a = new short[n];
        b.asShortBuffer().get(a);
        yield type == GgmlType.F16 ? new F16Tensor(a) : new BF16Tensor(a);
      }
      case Q8_0 -> Q8Tensor.decode(b, n);
      case Q4_0 -> Q4Tensor.decode(b, n);
      case Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> BlockTensor.copy(type, b, n);
    };
  }

  /**
   * The byte size of {@code elements} values of {@code type} stored at {@code offset} of a file of {@code fileSize}
   * bytes, after checking that the count fills whole blocks, that the kernels can address it (element offsets are
   * ints) and that the range lies inside the file; an {@link IllegalArgumentException} names the fault.
   */
  static long checkedBytes(GgmlType type, long elements, long offset, long fileSize) {
    if (elements < 0 || elements > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("tensors over 2^31 elements are not supported, got " + elements);
    }
    long bytes = type.byteSize(elements);
    if (offset < 0 || offset > fileSize || bytes > fileSize - offset) {
      throw new IllegalArgumentException(type + " tensor of " + elements + " elements (" + bytes + " bytes) at byte "
          + offset + " runs past the end of the " + fileSize + "-byte file");
    }
    return bytes;
  }

  /** An F32 tensor over {@code values} (not copied). */
  public static FloatTensor of(float[] values) {
    return new F32Tensor(values);
  }

  public abstract GgmlType type();

  public final long size() {
    return size;
  }

  /** Element {@code index}, dequantized. */
  public abstract float get(long index);

  /** {@code sum_i this[offset+i] * x[xOffset+i]} for {@code i < n}, using the kernels {@link Kernels} chose. */
  public final float dot(long offset, float[] x, int xOffset, int n) {
    return Kernels.VECTORIZED ? dotVector((int) offset, x, xOffset, n) : dotScalar((int) offset, x, xOffset, n);
  }

  /** The scalar reference for {@link #dot}. */
  float dotScalar(int offset, float[] x, int xOffset, int n) {
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      sum += get(offset + i) * x[xOffset + i];
    }
    return sum;
  }

  /**
   * Whether this tensor's matrix-vector products take a quantized activation ({@link #dot(long, Q8Activation)}),
   * as llama.cpp's Q8_0 / Q4_0 products do: true for those types where {@link QuantDot#ENABLED}.
   */
  public boolean dotsQuantized() {
    return false;
  }

  /**
   * {@code sum_i this[offset+i] * x.get(i)} for {@code i < x.length()}, summed exactly in integers per block; only
   * where {@link #dotsQuantized()}, {@code offset} a multiple of 32.
   */
  public float dot(long offset, Q8Activation x) {
    throw new UnsupportedOperationException(type() + " tensors take float activations");
  }

  /**
   * {@code out[r] = dot(r * x.length(), x)} for rows {@code r} in {@code [firstRow, firstRow + rows)} of this matrix of
   * {@code x.length()} columns; only where {@link #dotsQuantized()}. Tensors with a kernel that computes several rows
   * in one pass over the activation override it.
   */
  public void dotRows(int firstRow, int rows, Q8Activation x, float[] out) {
    dotRowsDefault(firstRow, rows, x, out);
  }

  /** The scalar reference for {@link #dotRows}, for tests of the tensors that override it. */
  void dotRowsScalar(int firstRow, int rows, Q8Activation x, float[] out) {
    dotRowsDefault(firstRow, rows, x, out);
  }

  private void dotRowsDefault(int firstRow, int rows, Q8Activation x, float[] out) {
    long cols = x.length();
    for (int r = firstRow; r < firstRow + rows; r++) {
      out[r] = dot(r * cols, x);
    }
  }

  /**
   * Bytes {@link #buildLayout} allocates for this tensor as a matrix of {@code cols} columns: 0 where it builds
   * nothing (the default; the heap tensors, and types without a decode layout).
   */
  public long layoutBytes(int cols) {
    return 0;
  }

  /**
   * Builds, once, over {@code par}'s threads, the layout this tensor's kernels read instead of its stored blocks as a
   * matrix of {@code cols} columns (mapped Q8_0 / Q4_0 / Q4_K / Q6_K / Q5_0 / Q4_1: the interleaved copy decode's {@link #dotRows}
   * and {@link #copyTo} read); nothing by default. Called at load ({@code model.DecodeLayouts}); results are the same
   * with or without it, up to float summation order.
   */
  public void buildLayout(int cols, Parallel par) {}

  /** The Vector API kernel for {@link #dot}. */
  abstract float dotVector(int offset, float[] x, int xOffset, int n);

  /** Dequantizes elements {@code [offset, offset+n)} into {@code dst[dstOffset..]}. */
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] = get(offset + i);
    }
  }

  private static final int CHUNK = 512;
  private static final ThreadLocal<float[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

  /**
   * {@link #dot} for types without a direct vector kernel (F16, BF16): {@link #copyTo} a chunk into a per-thread
   * float buffer (scalar; the JIT turns {@link Float#float16ToFloat} into F16C instructions), then the float FMA loop.
   */
  final float dotByChunks(int offset, float[] x, int xOffset, int n) {
    float[] buf = CHUNK_BUFFER.get();
    FloatVector acc = FloatVector.zero(Kernels.F);
    float tail = 0f;
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      copyTo(offset + start, buf, 0, len);
      int upper = Kernels.F.loopBound(len);
      int i = 0;
      for (; i < upper; i += Kernels.F.length()) {
        acc = FloatVector.fromArray(Kernels.F, buf, i).fma(FloatVector.fromArray(Kernels.F, x, xOffset + start + i), acc);
      }
      for (; i < len; i++) {
        tail += buf[i] * x[xOffset + start + i];
      }
    }
    return acc.reduceLanes(VectorOperators.ADD) + tail;
  }

  static float f16(short bits) {
    return Float.float16ToFloat(bits);
  }
}
