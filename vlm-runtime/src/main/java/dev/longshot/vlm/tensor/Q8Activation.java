package dev.longshot.vlm.tensor;

/**
 * An activation vector quantized the way llama.cpp quantizes activations for its Q8_0 and Q4_0 dot products: blocks
 * of 32, scale {@code d = max|x| / 127} rounded to float16, quants {@code rint(x * 127 / max|x|)} in
 * {@code [-127, 127]} (held as shorts, the width the integer kernels multiply in). Decode's matrix-vector products
 * against Q8_0 / Q4_0 weights use it ({@link FloatTensor#dot(long, Q8Activation)}), and prefill rounds its
 * activations for those weights the same way ({@link #round}): the products of the quants are
 * summed exactly in integers per block and scaled once per block, which costs about half the instructions of
 * dequantizing every weight to float. The price is the activation's rounding: per block at most {@code d / 2} per
 * element, so {@code |error| <= sum_blocks d / 2 * sum |w|} ({@code KernelsTest} checks that bound).
 */
public final class Q8Activation {
  /** Values per block, as in the weights' Q8_0 / Q4_0 blocks. */
  public static final int BLOCK = 32;
  final short[] q;
  final float[] d;
  final int n;
  /**
   * The quants as pairs in ints, {@code pairs[m] = q[2m] & 0xFFFF | q[2m+1] << 16}: one int broadcast gives a vector
   * of 16 shorts alternating two activation values, what the interleaved Q4_0 kernel multiplies its nibbles with.
   */
  final int[] pairs;
  /**
   * Per block, {@code -8 * sum} of the even-indexed and of the odd-indexed quants as two shorts in an int (low, high):
   * the {@code - 8} of Q4_0's nibbles applied once per block instead of once per weight.
   */
  final int[] q4Bias;
  /**
   * Per block, the scale times the sum of its quants, {@code d * sum(q)}: the activation's side of the mins of Q4_K
   * ({@link BlockQuantDot}).
   */
  final float[] sums;

  private Q8Activation(int n) {
    this.n = n;
    this.q = new short[n];
    this.d = new float[n / BLOCK];
    this.pairs = new int[n / 2];
    this.q4Bias = new int[n / BLOCK];
    this.sums = new float[n / BLOCK];
  }

  /** Quantizes {@code x[0..n)}; {@code n} must be a multiple of {@link #BLOCK}. */
  public static Q8Activation of(float[] x, int n) {
    if (n % BLOCK != 0 || n > x.length) {
      throw new IllegalArgumentException("activation length must be a multiple of " + BLOCK + " within " + x.length
          + ", got " + n);
    }
    Q8Activation a = new Q8Activation(n);
    for (int b = 0; b < n / BLOCK; b++) {
      float amax = 0f;
      for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
        amax = Math.max(amax, Math.abs(x[i]));
      }
      float id = amax != 0f ? 127f / amax : 0f;
      a.d[b] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
      for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
        a.q[i] = (short) Math.rint(x[i] * id);
      }
      int even = 0;
      int odd = 0;
      for (int i = b * BLOCK; i < (b + 1) * BLOCK; i += 2) {
        a.pairs[i / 2] = a.q[i] & 0xFFFF | a.q[i + 1] << 16;
        even += a.q[i];
        odd += a.q[i + 1];
      }
      a.q4Bias[b] = -8 * even & 0xFFFF | -8 * odd << 16;
      a.sums[b] = a.d[b] * (even + odd);
    }
    return a;
  }

  /** {@code out[i] = d * q[i]} for {@code i < n}: {@code x} rounded as {@link #of} rounds it, as floats; returns {@code out}. */
  static float[] round(float[] x, float[] out, int n) {
    for (int b = 0; b < n / BLOCK; b++) {
      float amax = 0f;
      for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
        amax = Math.max(amax, Math.abs(x[i]));
      }
      float id = amax != 0f ? 127f / amax : 0f;
      float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
      for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
        out[i] = d * (float) Math.rint(x[i] * id);
      }
    }
    return out;
  }

  /** Number of values. */
  public int length() {
    return n;
  }

  /** Value {@code i} as the kernels see it: {@code d[block] * q[i]}. */
  public float get(int i) {
    return d[i / BLOCK] * q[i];
  }

  /** The scale of block {@code b}. */
  public float scale(int b) {
    return d[b];
  }
}
