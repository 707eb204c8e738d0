package dev.longshot.vlm.tensor;

/**
 * Decodes one stored block of the block types llama.cpp writes into Q4_K_M / Q5_K_M / Q6_K files into floats, with
 * the formulas of ggml's dequantisation, in float.
 * All multi-byte fields are little-endian; {@code f16} is an IEEE half. Layouts (bytes), with {@code q} the stored
 * quant of element {@code i}:
 * <ul>
 *   <li>{@code Q4_1} (32 elements, 20 bytes): f16 {@code d}, f16 {@code m}, 16 nibble bytes (element {@code j < 16}
 *       in the low nibble of byte {@code j}, element {@code j + 16} in its high nibble); {@code x = q d + m}.
 *   <li>{@code Q5_0} (32, 22): f16 {@code d}, 4 bytes {@code qh} (a little-endian 32-bit word whose bit {@code i} is
 *       the fifth bit of element {@code i}), 16 nibble bytes as Q4_1; {@code x = (q - 16) d}.
 *   <li>{@code Q5_1} (32, 24): f16 {@code d}, f16 {@code m}, {@code qh} as Q5_0, 16 nibble bytes; {@code x = q d + m}.
 *   <li>{@code Q4_K} (256, 144): f16 {@code d}, f16 {@code dmin}, 12 bytes packing eight 6-bit scales {@code sc} and
 *       eight 6-bit mins {@code mn} (see {@link #scale} / {@link #min}), 128 nibble bytes; elements are in four
 *       groups of 64 whose 32 bytes hold sub-block {@code 2g} in the low nibbles and {@code 2g + 1} in the high ones;
 *       {@code x = (d sc) q - (dmin mn)} per sub-block of 32.
 *   <li>{@code Q5_K} (256, 176): as Q4_K with 32 bytes {@code qh} between the scales and the nibbles: bit {@code s}
 *       of {@code qh[l]} is the fifth bit of element {@code l} of sub-block {@code s}.
 *   <li>{@code Q6_K} (256, 210): 128 bytes {@code ql} (low 4 bits), 64 bytes {@code qh} (high 2 bits), 16 signed
 *       8-bit scales, f16 {@code d} last; two halves of 128 elements, each from 64 bytes of {@code ql} and 32 of
 *       {@code qh}: element {@code l + 32 k} ({@code l < 32, k < 4}) takes nibble {@code k / 2} of
 *       {@code ql[l + 32 (k % 2)]} and bits {@code 2k, 2k + 1} of {@code qh[l]}, scale {@code sc[l / 16 + 2 k]};
 *       {@code x = (d sc) (q - 32)}.
 * </ul>
 */
final class BlockDecoder {
  private BlockDecoder() {}

  /** Decodes the block of {@code type} at {@code b[o..]} into {@code y[yo .. yo + type.blockSize())}. */
  static void decode(GgmlType type, byte[] b, int o, float[] y, int yo) {
    switch (type) {
      case Q4_1 -> q4_1(b, o, y, yo);
      case Q5_0 -> q5_0(b, o, y, yo);
      case Q5_1 -> q5_1(b, o, y, yo);
      case Q4_K -> q4K(b, o, y, yo);
      case Q5_K -> q5K(b, o, y, yo);
      case Q6_K -> q6K(b, o, y, yo);
      default -> throw new IllegalArgumentException(type + " is not a block type of " + BlockDecoder.class.getName());
    }
  }

  /** Whether {@link #decode} handles {@code type}. */
  static boolean handles(GgmlType type) {
    return switch (type) {
      case Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> true;
      default -> false;
    };
  }

  static float half(byte[] b, int o) {
    return Float.float16ToFloat((short) ((b[o] & 0xFF) | (b[o + 1] << 8)));
  }

  static int u32(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
  }

  private static void q4_1(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o);
    float m = half(b, o + 2);
    int q = o + 4;
    for (int j = 0; j < 16; j++) {
      y[yo + j] = (b[q + j] & 0x0F) * d + m;
    }
    for (int j = 0; j < 16; j++) {
      y[yo + 16 + j] = ((b[q + j] >> 4) & 0x0F) * d + m;
    }
  }

  private static void q5_0(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o);
    int qh = u32(b, o + 2);
    int q = o + 6;
    for (int j = 0; j < 16; j++) {
      y[yo + j] = (((b[q + j] & 0x0F) | ((qh >>> j) & 1) << 4) - 16) * d;
    }
    for (int j = 0; j < 16; j++) {
      y[yo + 16 + j] = ((((b[q + j] >> 4) & 0x0F) | ((qh >>> (j + 16)) & 1) << 4) - 16) * d;
    }
  }

  private static void q5_1(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o);
    float m = half(b, o + 2);
    int qh = u32(b, o + 4);
    int q = o + 8;
    for (int j = 0; j < 16; j++) {
      y[yo + j] = ((b[q + j] & 0x0F) | ((qh >>> j) & 1) << 4) * d + m;
    }
    for (int j = 0; j < 16; j++) {
      y[yo + 16 + j] = (((b[q + j] >> 4) & 0x0F) | ((qh >>> (j + 16)) & 1) << 4) * d + m;
    }
  }

  /**
   * The 6-bit scale of sub-block {@code j < 8} from the 12 packed bytes at {@code b[s..]}: bytes 0-3 hold scales
   * 0-3 in their low 6 bits, bytes 4-7 mins 0-3 likewise; scale {@code j >= 4} is the low nibble of byte
   * {@code j + 4} plus the top two bits of byte {@code j - 4} as bits 4-5, min {@code j >= 4} the high nibble of
   * byte {@code j + 4} plus the top two bits of byte {@code j}.
   */
  static int scale(byte[] b, int s, int j) {
    return j < 4 ? b[s + j] & 63 : (b[s + j + 4] & 0x0F) | ((b[s + j - 4] & 0xFF) >>> 6) << 4;
  }

  /** The 6-bit min of sub-block {@code j < 8}; see {@link #scale}. */
  static int min(byte[] b, int s, int j) {
    return j < 4 ? b[s + j + 4] & 63 : ((b[s + j + 4] & 0xFF) >>> 4) | ((b[s + j] & 0xFF) >>> 6) << 4;
  }

  private static void q4K(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o);
    float dmin = half(b, o + 2);
    int s = o + 4;
    for (int g = 0; g < 4; g++) {
      float d1 = d * scale(b, s, 2 * g);
      float m1 = dmin * min(b, s, 2 * g);
      float d2 = d * scale(b, s, 2 * g + 1);
      float m2 = dmin * min(b, s, 2 * g + 1);
      int q = o + 16 + 32 * g;
      int out = yo + 64 * g;
      for (int l = 0; l < 32; l++) {
        y[out + l] = d1 * (b[q + l] & 0x0F) - m1;
      }
      for (int l = 0; l < 32; l++) {
        y[out + 32 + l] = d2 * ((b[q + l] >> 4) & 0x0F) - m2;
      }
    }
  }

  private static void q5K(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o);
    float dmin = half(b, o + 2);
    int s = o + 4;
    int h = o + 16;
    for (int g = 0; g < 4; g++) {
      float d1 = d * scale(b, s, 2 * g);
      float m1 = dmin * min(b, s, 2 * g);
      float d2 = d * scale(b, s, 2 * g + 1);
      float m2 = dmin * min(b, s, 2 * g + 1);
      int q = o + 48 + 32 * g;
      int out = yo + 64 * g;
      int lo = 2 * g;
      int hi = 2 * g + 1;
      for (int l = 0; l < 32; l++) {
        y[out + l] = d1 * ((b[q + l] & 0x0F) | ((b[h + l] >> lo) & 1) << 4) - m1;
      }
      for (int l = 0; l < 32; l++) {
        y[out + 32 + l] = d2 * (((b[q + l] >> 4) & 0x0F) | ((b[h + l] >> hi) & 1) << 4) - m2;
      }
    }
  }

  private static void q6K(byte[] b, int o, float[] y, int yo) {
    float d = half(b, o + 208);
    for (int half = 0; half < 2; half++) {
      int ql = o + 64 * half;
      int qh = o + 128 + 32 * half;
      int sc = o + 192 + 8 * half;
      int out = yo + 128 * half;
      for (int k = 0; k < 4; k++) {
        int lq = ql + 32 * (k & 1);
        int shift = 4 * (k >> 1);
        int hshift = 2 * k;
        for (int part = 0; part < 2; part++) {
          float ds = d * b[sc + part + 2 * k];
          int base = 16 * part;
          for (int l = base; l < base + 16; l++) {
            y[out + 32 * k + l] = ds * ((((b[lq + l] >> shift) & 0x0F) | ((b[qh + l] >> hshift) & 3) << 4) - 32);
          }
        }
      }
    }
  }
}
