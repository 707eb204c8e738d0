package dev.longshot.vlm.gguf;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequential little-endian reader of a GGUF header with bounds checks; every fault names the file and offset. Every
 * count is checked against the bytes left in the file (at the smallest size its elements can have) before anything is
 * allocated from it, and arrays nest at most {@link ModelLimits#MAX_GGUF_ARRAY_NESTING} deep (issue 12, point 7).
 */
final class GgufParser {
  private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32

  private final Path path;
  private final ByteBuffer seg;
  private long pos;
  private long tensorCount;
  private long metadataCount;

  GgufParser(Path path, ByteBuffer seg) {
    this.path = path;
    this.seg = seg;
  }

  long position() {
    return pos;
  }

  void header() {
    if ((long) seg.limit() < 24) {
      throw fault("is too short to be a GGUF file (" + (long) seg.limit() + " bytes)");
    }
    int magic = i32();
    if (magic != MAGIC) {
      throw fault("is not a GGUF file (magic 0x" + Integer.toHexString(magic) + ", expected \"GGUF\")");
    }
    int version = i32();
    if (version < 2 || version > 3) {
      throw fault("has GGUF version " + version + "; supported are 2 and 3");
    }
    tensorCount = count("tensor count");
    metadataCount = count("metadata count");
    // smallest entries: a tensor info is an 8-byte name length, u32 ndims, one u64 dim, u32 type, u64 offset; a
    // metadata entry an 8-byte key length, u32 type and one byte of value
    fits("tensor count", tensorCount, 32);
    fits("metadata count", metadataCount, 13);
  }

  /** Fails unless {@code count} entries of at least {@code minBytes} each fit in what is left of the file. */
  private void fits(String what, long count, long minBytes) {
    long left = (long) seg.limit() - pos;
    if (count > left / Math.max(1, minBytes)) {
      throw fault("is corrupt: " + what + " is " + count + " at offset " + (pos - 8) + " but only " + left
          + " bytes follow (at least " + minBytes + " per entry)");
    }
  }

  Map<String, Object> metadata() {
    Map<String, Object> meta = new LinkedHashMap<>();
    for (long i = 0; i < metadataCount; i++) {
      String key = string();
      int type = i32();
      meta.put(key, value(type, key, 0));
    }
    return meta;
  }

  Map<String, GgufFile.TensorInfo> tensorInfos() {
    Map<String, GgufFile.TensorInfo> infos = new LinkedHashMap<>();
    for (long i = 0; i < tensorCount; i++) {
      String name = string();
      int nDims = i32();
      if (nDims < 1 || nDims > 4) {
        throw fault("tensor '" + name + "' has " + nDims + " dimensions (1..4 allowed)");
      }
      long[] dims = new long[nDims];
      long elements = 1;
      for (int d = 0; d < nDims; d++) {
        dims[d] = i64();
        // no ggml type packs an element into less than one bit, so the file bounds the element count
        if (dims[d] <= 0 || dims[d] > (long) seg.limit() * 8 / elements) {
          throw fault("is corrupt: tensor '" + name + "' dimension " + d + " is " + dims[d] + " (dimensions "
              + java.util.Arrays.toString(java.util.Arrays.copyOf(dims, d + 1)) + " cannot fit in "
              + (long) seg.limit() + " bytes)");
        }
        elements *= dims[d];
      }
      int type = i32();
      long offset = i64();
      if (offset < 0) {
        throw fault("is corrupt: tensor '" + name + "' has data offset " + offset);
      }
      if (infos.put(name, new GgufFile.TensorInfo(name, dims, type, offset)) != null) {
        throw fault("is corrupt: tensor '" + name + "' appears twice");
      }
    }
    return infos;
  }

  private Object value(int type, String key, int depth) {
    return switch (type) {
      case 0 -> (int) u8();
      case 1 -> (int) (byte) u8();
      case 2 -> Short.toUnsignedInt(i16());
      case 3 -> (int) i16();
      case 4 -> u32();
      case 5 -> i32();
      case 6 -> f32();
      case 7 -> u8() != 0;
      case 8 -> string();
      case 9 -> array(key, depth + 1);
      case 10, 11 -> i64();
      case 12 -> f64();
      default -> throw fault("metadata '" + key + "' has unknown value type " + type);
    };
  }

  /** Smallest encoded size of one value of {@code type}: strings and arrays carry at least their length fields. */
  private static long minBytes(int type) {
    return switch (type) {
      case 0, 1, 7 -> 1;
      case 2, 3 -> 2;
      case 4, 5, 6 -> 4;
      case 8, 10, 11, 12 -> 8;
      case 9 -> 12;
      default -> 1;
    };
  }

  private Object array(String key, int depth) {
    if (depth > ModelLimits.MAX_GGUF_ARRAY_NESTING) {
      throw fault("is corrupt: metadata '" + key + "' nests arrays deeper than "
          + ModelLimits.MAX_GGUF_ARRAY_NESTING + " at offset " + pos);
    }
    int type = i32();
    long n = count("length of array '" + key + "'");
    fits("length of array '" + key + "'", n, minBytes(type));
    if (n > Integer.MAX_VALUE - 8) {
      throw fault("is corrupt: array '" + key + "' has " + n + " elements; at most " + (Integer.MAX_VALUE - 8)
          + " are supported");
    }
    int len = (int) n;
    switch (type) {
      case 8 -> {
        String[] out = new String[len];
        for (int i = 0; i < len; i++) {
          out[i] = string();
        }
        return out;
      }
      case 4, 5 -> {
        int[] out = new int[len];
        for (int i = 0; i < len; i++) {
          out[i] = i32();
        }
        return out;
      }
      case 6 -> {
        float[] out = new float[len];
        for (int i = 0; i < len; i++) {
          out[i] = f32();
        }
        return out;
      }
      default -> {
        Object[] out = new Object[len];
        for (int i = 0; i < len; i++) {
          out[i] = value(type, key, depth);
        }
        return out;
      }
    }
  }

  private long count(String what) {
    long n = i64();
    if (n < 0 || n > (long) seg.limit()) {
      throw fault("is corrupt: " + what + " is " + n + " at offset " + (pos - 8));
    }
    return n;
  }

  private String string() {
    long len = i64();
    if (len < 0 || len > (long) seg.limit() - pos) {
      throw fault("is truncated or corrupt: a string of " + len + " bytes at offset " + (pos - 8)
          + " runs past the end (" + (long) seg.limit() + " bytes)");
    }
    byte[] bytes = new byte[(int) len];
    seg.get((int) pos, bytes);
    pos += len;
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void need(long bytes) {
    if (pos + bytes > (long) seg.limit()) {
      throw fault("is truncated: needs " + bytes + " more bytes at offset " + pos + " but has " + (long) seg.limit());
    }
  }

  private int u8() {
    need(1);
    return seg.get((int) pos++) & 0xFF;
  }

  private short i16() {
    need(2);
    short v = seg.getShort((int) pos);
    pos += 2;
    return v;
  }

  /** A u32: an Integer when it fits, else a Long, so that 2^31 and above keep their value. */
  private Number u32() {
    int v = i32();
    return v >= 0 ? (Number) v : (Number) Integer.toUnsignedLong(v);
  }

  private int i32() {
    need(4);
    int v = seg.getInt((int) pos);
    pos += 4;
    return v;
  }

  private long i64() {
    need(8);
    long v = seg.getLong((int) pos);
    pos += 8;
    return v;
  }

  private float f32() {
    need(4);
    float v = seg.getFloat((int) pos);
    pos += 4;
    return v;
  }

  private double f64() {
    need(8);
    double v = seg.getDouble((int) pos);
    pos += 8;
    return v;
  }

  private ModelFormatException fault(String what) {
    return new ModelFormatException(path + " " + what);
  }
}
