package dev.longshot.vlm.tensor;

/**
 * The double-precision statement of the block types' values, element by element, written from ggml's block layouts
 * without looking at {@link BlockDecoder}: {@link #value} finds element {@code i}'s block, its quant bits and its
 * scales directly. Slow and plain; the kernels are checked against it.
 */
final class BlockOracle {
  private BlockOracle() {}

  /** Bits {@code [from, from + count)} of the unsigned byte {@code b[at]}. */
  static int bits(byte[] b, int at, int from, int count) {
    return ((b[at] & 0xFF) >> from) & ((1 << count) - 1);
  }

  static double half(byte[] b, int at) {
    return Float.float16ToFloat((short) ((b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8));
  }

  /** The 6-bit scale ({@code min == false}) or min of sub-block {@code j} of a Q4_K / Q5_K block's 12 bytes at s. */
  static int packed6(byte[] b, int s, int j, boolean min) {
    if (j < 4) {
      return bits(b, s + j + (min ? 4 : 0), 0, 6);
    }
    int low = bits(b, s + j + 4, min ? 4 : 0, 4);
    int high = bits(b, s + (min ? j : j - 4), 6, 2);
    return low + 16 * high;
  }

  /** Element {@code i} of a tensor of {@code type} stored as {@code data} (blocks from byte 0). */
  static double value(GgmlType type, byte[] data, long i) {
    int n = type.blockSize();
    int o = (int) (i / n) * type.bytesPerBlock();
    int e = (int) (i % n);
    switch (type) {
      case Q4_1, Q5_0, Q5_1 -> {
        boolean hasMin = type != GgmlType.Q5_0;
        int qs = o + 2 + (hasMin ? 2 : 0) + (type == GgmlType.Q4_1 ? 0 : 4);
        int q = bits(data, qs + e % 16, e < 16 ? 0 : 4, 4);
        if (type != GgmlType.Q4_1) {
          int qh = o + (hasMin ? 4 : 2);
          q += 16 * bits(data, qh + e / 8, e % 8, 1);
        }
        double d = half(data, o);
        return type == GgmlType.Q5_0 ? d * (q - 16) : d * q + half(data, o + 2);
      }
      case Q4_K, Q5_K -> {
        int sub = e / 32;
        int l = e % 32;
        boolean five = type == GgmlType.Q5_K;
        int qs = o + 16 + (five ? 32 : 0);
        int q = bits(data, qs + 32 * (sub / 2) + l, sub % 2 == 0 ? 0 : 4, 4);
        if (five) {
          q += 16 * bits(data, o + 16 + l, sub, 1);
        }
        return half(data, o) * packed6(data, o + 4, sub, false) * q
            - half(data, o + 2) * packed6(data, o + 4, sub, true);
      }
      case Q6_K -> {
        int h = e / 128;
        int k = e % 128 / 32;
        int l = e % 32;
        int low = bits(data, o + 64 * h + 32 * (k % 2) + l, k < 2 ? 0 : 4, 4);
        int high = bits(data, o + 128 + 32 * h + l, 2 * k, 2);
        int scale = data[o + 192 + e / 16]; // signed
        return half(data, o + 208) * scale * (low + 16 * high - 32);
      }
      default -> throw new IllegalArgumentException(type.toString());
    }
  }
}
