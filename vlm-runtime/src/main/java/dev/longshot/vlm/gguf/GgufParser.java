package dev.longshot.vlm.gguf;

import dev.longshot.vlm.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sequential little-endian reader of a GGUF header with bounds checks; every fault names the file and offset. */
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
  }

  Map<String, Object> metadata() {
    Map<String, Object> meta = new LinkedHashMap<>();
    for (long i = 0; i < metadataCount; i++) {
      String key = string();
      int type = i32();
      meta.put(key, value(type, key));
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
      for (int d = 0; d < nDims; d++) {
        dims[d] = i64();
        if (dims[d] <= 0 || dims[d] > (long) seg.limit() * 2 + 64) {
          throw fault("tensor '" + name + "' has an impossible dimension " + dims[d]);
        }
      }
      int type = i32();
      long offset = i64();
      infos.put(name, new GgufFile.TensorInfo(name, dims, type, offset));
    }
    return infos;
  }

  private Object value(int type, String key) {
    return switch (type) {
      case 0 -> (int) u8();
      case 1 -> (int) (byte) u8();
      case 2 -> Short.toUnsignedInt(i16());
      case 3 -> (int) i16();
      case 4, 5 -> i32();
      case 6 -> f32();
      case 7 -> u8() != 0;
      case 8 -> string();
      case 9 -> array(key);
      case 10, 11 -> i64();
      case 12 -> f64();
      default -> throw fault("metadata '" + key + "' has unknown value type " + type);
    };
  }

  private Object array(String key) {
    int type = i32();
    long n = count("length of array '" + key + "'");
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
          out[i] = value(type, key);
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
