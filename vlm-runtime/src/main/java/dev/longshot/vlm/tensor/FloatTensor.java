package dev.longshot.vlm.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only one-dimensional array of model weights in one of the {@link GgmlType}s, held in heap arrays decoded
 * once from the (memory-mapped) model file. Heap arrays rather than {@code MemorySegment}s because the project
 * compiles for Java 21, where the FFM API is still a preview. Matrices are row-major: element {@code (r, c)} of a
 * matrix with {@code cols} columns is at {@code r*cols+c}. Kernels take element offsets; for quantized types they
 * must be multiples of the block size (32). Instances are immutable and safe to share between threads.
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
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("tensors over 2^31 elements are not supported, got " + size);
    }
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
    };
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

  /** The Vector API kernel for {@link #dot}. */
  abstract float dotVector(int offset, float[] x, int xOffset, int n);

  /** Dequantizes elements {@code [offset, offset+n)} into {@code dst[dstOffset..]}. */
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    for (int i = 0; i < n; i++) {
      dst[dstOffset + i] = get(offset + i);
    }
  }

  static float f16(short bits) {
    return Float.float16ToFloat(bits);
  }
}
