package dev.longshot.vlm.testmodel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small GGUF v3 writer for tests and benchmarks, written from the format description (not from llama.cpp's
 * code): metadata values are String, Integer (u32), Float (f32), Boolean, String[], int[] (i32), float[]; tensors
 * are raw little-endian bytes already encoded in their ggml type. Data is aligned to 32 bytes. For hostile-file tests,
 * {@link Raw} writes any type id and payload as given, Long is written as u64, and {@link #tensorHeader} announces a
 * tensor at any offset without writing its data.
 */
public final class GgufWriter {
  private static final int ALIGN = 32;

  /** A metadata value written verbatim: u32 {@code type}, then {@code payload} (which may lie about its lengths). */
  public record Raw(int type, byte[] payload) {}

  private record Tensor(String name, long[] dims, int type, long byteSize, Supplier<byte[]> data, Long offset) {}

  private final Map<String, Object> meta = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();

  public GgufWriter put(String key, Object value) {
    meta.put(key, value);
    return this;
  }

  /** Adds a tensor; {@code dims[0]} is the innermost dimension (ggml order). */
  public GgufWriter tensor(String name, long[] dims, int ggmlType, byte[] data) {
    tensors.add(new Tensor(name, dims, ggmlType, data.length, () -> data, null));
    return this;
  }

  /** Adds a tensor whose bytes ({@code byteSize} of them) are produced only while writing (large models). */
  public GgufWriter tensor(String name, long[] dims, int ggmlType, long byteSize, Supplier<byte[]> data) {
    tensors.add(new Tensor(name, dims, ggmlType, byteSize, data, null));
    return this;
  }

  /** Announces a tensor at {@code offset} (relative to the data start) in the header; none of its bytes are written. */
  public GgufWriter tensorHeader(String name, long[] dims, int ggmlType, long offset) {
    tensors.add(new Tensor(name, dims, ggmlType, 0, () -> new byte[0], offset));
    return this;
  }

  public void write(Path path) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      Out out = new Out(os);
      out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
      out.u32(3);
      out.u64(tensors.size());
      out.u64(meta.size());
      for (var e : meta.entrySet()) {
        out.string(e.getKey());
        value(out, e.getValue());
      }
      long offset = 0;
      for (Tensor t : tensors) {
        out.string(t.name());
        out.u32(t.dims().length);
        for (long d : t.dims()) {
          out.u64(d);
        }
        out.u32(t.type());
        out.u64(t.offset() != null ? t.offset() : offset);
        offset = align(offset + t.byteSize());
      }
      out.pad(align(out.count) - out.count);
      for (Tensor t : tensors) {
        byte[] data = t.data().get();
        if (data.length != t.byteSize()) {
          throw new IllegalStateException(t.name() + ": " + data.length + " bytes, announced " + t.byteSize());
        }
        out.bytes(data);
        out.pad(align(data.length) - data.length);
      }
    }
  }

  private static long align(long n) {
    return (n + ALIGN - 1) / ALIGN * ALIGN;
  }

  private static void value(Out out, Object v) throws IOException {
    switch (v) {
      case String s -> {
        out.u32(8);
        out.string(s);
      }
      case Integer i -> {
        out.u32(4);
        out.u32(i);
      }
      case Long l -> {
        out.u32(10);
        out.u64(l);
      }
      case Raw r -> {
        out.u32(r.type());
        out.bytes(r.payload());
      }
      case Float f -> {
        out.u32(6);
        out.f32(f);
      }
      case Boolean b -> {
        out.u32(7);
        out.bytes(new byte[] {(byte) (b ? 1 : 0)});
      }
      case String[] a -> {
        out.u32(9);
        out.u32(8);
        out.u64(a.length);
        for (String s : a) {
          out.string(s);
        }
      }
      case int[] a -> {
        out.u32(9);
        out.u32(5);
        out.u64(a.length);
        for (int x : a) {
          out.u32(x);
        }
      }
      case float[] a -> {
        out.u32(9);
        out.u32(6);
        out.u64(a.length);
        for (float x : a) {
          out.f32(x);
        }
      }
      default -> throw new IllegalArgumentException("unsupported metadata value " + v.getClass());
    }
  }

  /** Little-endian output that counts bytes. */
  private static final class Out {
    private final OutputStream os;
    private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    long count;

    Out(OutputStream os) {
      this.os = os;
    }

    void bytes(byte[] b) throws IOException {
      os.write(b);
      count += b.length;
    }

    void pad(long n) throws IOException {
      for (long i = 0; i < n; i++) {
        os.write(0);
      }
      count += n;
    }

    void u32(int v) throws IOException {
      buf.clear();
      buf.putInt(v);
      os.write(buf.array(), 0, 4);
      count += 4;
    }

    void u64(long v) throws IOException {
      buf.clear();
      buf.putLong(v);
      os.write(buf.array(), 0, 8);
      count += 8;
    }

    void f32(float v) throws IOException {
      u32(Float.floatToRawIntBits(v));
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      bytes(b);
    }
  }
}
