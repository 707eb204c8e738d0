package dev.longshot.vlm.testmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes float arrays into ggml tensor types for test models, following the published block layouts
 * (Q8_0: f16 scale {@code amax/127} + 32 rounded bytes; Q4_0: f16 scale {@code max/-8} + 16 nibble bytes).
 */
public final class TensorEncoding {
  public static final int F32 = 0;
  public static final int F16 = 1;
  public static final int Q4_0 = 2;
  public static final int Q8_0 = 8;
  public static final int BF16 = 30;

  private TensorEncoding() {}

  public static byte[] encode(float[] x, int type) {
    return switch (type) {
      case F32 -> f32(x);
      case F16 -> f16(x);
      case BF16 -> bf16(x);
      case Q8_0 -> q8(x);
      case Q4_0 -> q4(x);
      case BlockPacker.Q4_1, BlockPacker.Q5_0, BlockPacker.Q5_1, BlockPacker.Q4_K, BlockPacker.Q5_K, BlockPacker.Q6_K ->
          BlockPacker.encode(x, type);
      default -> throw new IllegalArgumentException("type " + type);
    };
  }

  public static byte[] f32(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    return b.array();
  }

  static byte[] f16(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putShort(Float.floatToFloat16(v));
    }
    return b.array();
  }

  /** bfloat16 with round-to-nearest-even. */
  static byte[] bf16(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      int bits = Float.floatToRawIntBits(v);
      int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
      b.putShort((short) (rounded >>> 16));
    }
    return b.array();
  }

  static byte[] q8(float[] x) {
    int blocks = x.length / 32;
    ByteBuffer b = ByteBuffer.allocate(blocks * 34).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < blocks; i++) {
      float amax = 0;
      for (int j = 0; j < 32; j++) {
        amax = Math.max(amax, Math.abs(x[i * 32 + j]));
      }
      float d = amax / 127f;
      float id = d != 0 ? 1f / d : 0f;
      b.putShort(Float.floatToFloat16(d));
      for (int j = 0; j < 32; j++) {
        b.put((byte) Math.round(x[i * 32 + j] * id));
      }
    }
    return b.array();
  }

  static byte[] q4(float[] x) {
    int blocks = x.length / 32;
    ByteBuffer b = ByteBuffer.allocate(blocks * 18).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < blocks; i++) {
      float amax = 0;
      float max = 0;
      for (int j = 0; j < 32; j++) {
        float v = x[i * 32 + j];
        if (Math.abs(v) > amax) {
          amax = Math.abs(v);
          max = v;
        }
      }
      float d = max / -8f;
      float id = d != 0 ? 1f / d : 0f;
      b.putShort(Float.floatToFloat16(d));
      for (int j = 0; j < 16; j++) {
        int lo = Math.min(15, (int) (x[i * 32 + j] * id + 8.5f));
        int hi = Math.min(15, (int) (x[i * 32 + 16 + j] * id + 8.5f));
        b.put((byte) (lo | (hi << 4)));
      }
    }
    return b.array();
  }
}
