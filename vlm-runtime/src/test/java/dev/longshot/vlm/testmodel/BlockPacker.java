package dev.longshot.vlm.testmodel;

import dev.longshot.vlm.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs float arrays into the block types of llama.cpp's K-quant files (Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K) for test
 * models: valid blocks from a plain min/max choice of scales, not llama.cpp's quantiser search. The bit layouts are
 * written here from ggml's block definitions, once per type ({@link #q4K} etc. say where each field goes); ids as in
 * {@link TensorEncoding}.
 */
public final class BlockPacker {
  public static final int Q4_1 = 3;
  public static final int Q5_0 = 6;
  public static final int Q5_1 = 7;
  public static final int Q4_K = 12;
  public static final int Q5_K = 13;
  public static final int Q6_K = 14;

  private BlockPacker() {}

  public static byte[] encode(float[] x, int type) {
    GgmlType t = GgmlType.ofId(type);
    ByteBuffer b = ByteBuffer.allocate((int) t.byteSize(x.length)).order(ByteOrder.LITTLE_ENDIAN);
    int block = t.blockSize();
    for (int o = 0; o < x.length; o += block) {
      switch (type) {
        case Q4_1 -> legacyWithMin(x, o, b, 4);
        case Q5_1 -> legacyWithMin(x, o, b, 5);
        case Q5_0 -> q5_0(x, o, b);
        case Q4_K -> kWithMin(x, o, b, 4);
        case Q5_K -> kWithMin(x, o, b, 5);
        case Q6_K -> q6K(x, o, b);
        default -> throw new IllegalArgumentException("type " + type);
      }
    }
    return b.array();
  }

  static float f16(float v) {
    return Float.float16ToFloat(Float.floatToFloat16(v));
  }

  private static int clamp(long v, int lo, int hi) {
    return (int) Math.max(lo, Math.min(hi, v));
  }

  /** Q4_1 / Q5_1: f16 d, f16 m, [Q5_1: 32-bit word of fifth bits], 16 bytes: element j low nibble, j+16 high. */
  private static void legacyWithMin(float[] x, int o, ByteBuffer b, int bits) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (int j = 0; j < 32; j++) {
      lo = Math.min(lo, x[o + j]);
      hi = Math.max(hi, x[o + j]);
    }
    int top = (1 << bits) - 1;
    float d = f16((hi - lo) / top);
    float m = f16(lo);
    int[] q = new int[32];
    for (int j = 0; j < 32; j++) {
      q[j] = d == 0 ? 0 : clamp(Math.round((x[o + j] - m) / d), 0, top);
    }
    b.putShort(Float.floatToFloat16(d)).putShort(Float.floatToFloat16(m));
    if (bits == 5) {
      b.putInt(fifthBits(q));
    }
    nibbles(q, b);
  }

  /** Q5_0: f16 d, 32-bit word (bit i = fifth bit of element i), 16 nibble bytes; x = d (q - 16). */
  private static void q5_0(float[] x, int o, ByteBuffer b) {
    float amax = 0;
    for (int j = 0; j < 32; j++) {
      amax = Math.max(amax, Math.abs(x[o + j]));
    }
    float d = f16(amax / 15);
    int[] q = new int[32];
    for (int j = 0; j < 32; j++) {
      q[j] = d == 0 ? 16 : clamp(Math.round(x[o + j] / d) + 16, 0, 31);
    }
    b.putShort(Float.floatToFloat16(d)).putInt(fifthBits(q));
    nibbles(q, b);
  }

  private static int fifthBits(int[] q) {
    int h = 0;
    for (int j = 0; j < 32; j++) {
      h |= ((q[j] >> 4) & 1) << j;
    }
    return h;
  }

  private static void nibbles(int[] q, ByteBuffer b) {
    for (int j = 0; j < 16; j++) {
      b.put((byte) ((q[j] & 15) | (q[j + 16] & 15) << 4));
    }
  }

  /**
   * The 12 bytes of eight 6-bit scales and mins: byte j (j < 4) = sc[j] low 6 bits | sc[j+4] bits 4-5 in bits 6-7;
   * byte j+4 = mn[j] | mn[j+4] bits 4-5 in bits 6-7; byte j+8 = sc[j+4] low nibble | mn[j+4] low nibble << 4.
   */
  public static byte[] packScales(int[] sc, int[] mn) {
    byte[] p = new byte[12];
    for (int j = 0; j < 4; j++) {
      p[j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
      p[j + 4] = (byte) (mn[j] | (mn[j + 4] >> 4) << 6);
      p[j + 8] = (byte) ((sc[j + 4] & 15) | (mn[j + 4] & 15) << 4);
    }
    return p;
  }

  /**
   * Q4_K / Q5_K: f16 d, f16 dmin, 12 scale bytes, [Q5_K: 32 bytes, bit s of byte l = fifth bit of element l of
   * sub-block s], 128 bytes: byte 32g + l holds element l of sub-block 2g (low nibble) and of 2g+1 (high nibble).
   * x = d sc q - dmin mn per sub-block of 32.
   */
  private static void kWithMin(float[] x, int o, ByteBuffer b, int bits) {
    int top = (1 << bits) - 1;
    float[] scale = new float[8];
    float[] mins = new float[8];
    for (int s = 0; s < 8; s++) {
      float lo = 0;
      float hi = 0;
      for (int l = 0; l < 32; l++) {
        lo = Math.min(lo, x[o + 32 * s + l]);
        hi = Math.max(hi, x[o + 32 * s + l]);
      }
      scale[s] = (hi - lo) / top;
      mins[s] = -lo;
    }
    float d = f16(max(scale) / 63);
    float dmin = f16(max(mins) / 63);
    int[] sc = new int[8];
    int[] mn = new int[8];
    int[] q = new int[256];
    for (int s = 0; s < 8; s++) {
      sc[s] = d == 0 ? 0 : clamp(Math.round(scale[s] / d), 0, 63);
      mn[s] = dmin == 0 ? 0 : clamp(Math.round(mins[s] / dmin), 0, 63);
      float ds = d * sc[s];
      float dm = dmin * mn[s];
      for (int l = 0; l < 32; l++) {
        q[32 * s + l] = ds == 0 ? 0 : clamp(Math.round((x[o + 32 * s + l] + dm) / ds), 0, top);
      }
    }
    b.putShort(Float.floatToFloat16(d)).putShort(Float.floatToFloat16(dmin)).put(packScales(sc, mn));
    if (bits == 5) {
      for (int l = 0; l < 32; l++) {
        int h = 0;
        for (int s = 0; s < 8; s++) {
          h |= ((q[32 * s + l] >> 4) & 1) << s;
        }
        b.put((byte) h);
      }
    }
    for (int g = 0; g < 4; g++) {
      for (int l = 0; l < 32; l++) {
        b.put((byte) ((q[64 * g + l] & 15) | (q[64 * g + 32 + l] & 15) << 4));
      }
    }
  }

  /**
   * Q6_K: 128 bytes ql, 64 bytes qh, 16 signed scales (one per 16 elements), f16 d last. Half h (128 elements) uses
   * ql[64h..64h+64) and qh[32h..32h+32): element 128h + 32k + l (l < 32) is the low (k < 2) or high (k >= 2) nibble
   * of ql[64h + 32 (k % 2) + l] and bits 2k..2k+1 of qh[32h + l]; x = d sc (q - 32).
   */
  private static void q6K(float[] x, int o, ByteBuffer b) {
    float[] scale = new float[16];
    for (int s = 0; s < 16; s++) {
      float amax = 0;
      for (int l = 0; l < 16; l++) {
        amax = Math.max(amax, Math.abs(x[o + 16 * s + l]));
      }
      scale[s] = amax / 31;
    }
    float d = f16(max(scale) / 127);
    int[] sc = new int[16];
    int[] q = new int[256];
    for (int s = 0; s < 16; s++) {
      sc[s] = d == 0 ? 0 : clamp(Math.round(scale[s] / d), -128, 127);
      float ds = d * sc[s];
      for (int l = 0; l < 16; l++) {
        q[16 * s + l] = ds == 0 ? 32 : clamp(Math.round(x[o + 16 * s + l] / ds) + 32, 0, 63);
      }
    }
    byte[] ql = new byte[128];
    byte[] qh = new byte[64];
    for (int h = 0; h < 2; h++) {
      for (int k = 0; k < 4; k++) {
        for (int l = 0; l < 32; l++) {
          int v = q[128 * h + 32 * k + l];
          ql[64 * h + 32 * (k % 2) + l] |= (byte) ((v & 15) << (k < 2 ? 0 : 4));
          qh[32 * h + l] |= (byte) ((v >> 4) << (2 * k));
        }
      }
    }
    b.put(ql).put(qh);
    for (int s = 0; s < 16; s++) {
      b.put((byte) sc[s]);
    }
    b.putShort(Float.floatToFloat16(d));
  }

  private static float max(float[] a) {
    float m = 0;
    for (float v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
