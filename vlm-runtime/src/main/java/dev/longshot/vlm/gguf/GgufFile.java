package dev.longshot.vlm.gguf;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;

/**
 * A memory-mapped GGUF file (llama.cpp's model format, versions 2 and 3): metadata key/values and tensor infos are
 * parsed eagerly; {@link #tensor} reads one tensor into the file's {@link WeightMemory}: decoded into heap arrays
 * ({@link #open(Path)}), or read in place from the mapping when opened with a {@link WeightStorage#MAPPED} memory.
 * Layout (little-endian):
 * magic {@code "GGUF"}, u32 version, u64 tensor count, u64 metadata count, metadata ({@code string key, u32 type,
 * value}), tensor infos ({@code string name, u32 ndims, u64[ndims] dims, u32 ggml type, u64 offset}), padding to
 * {@code general.alignment} (default 32), then tensor data. Metadata u32 values above 2^31-1 come back as Long, all
 * other integers up to 32 bits as Integer. Counts, lengths, dimensions and offsets are checked against the file size
 * before use, and tensors may not overlap. Close it when all tensors are read; tensors stay usable until their
 * memory is closed (never, for the heap).
 */
public final class GgufFile implements AutoCloseable {
  /** One tensor's header entry; {@code dims[0]} is the innermost (column) dimension, as in ggml. */
  public record TensorInfo(String name, long[] dims, int typeId, long offset) {
    public long elementCount() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long fileSize;
  private final Map<String, Object> metadata;
  private final Map<String, TensorInfo> tensors;
  private final long dataStart;
  private final WeightMemory memory;

  private GgufFile(Path path, FileChannel channel, long fileSize, Map<String, Object> metadata,
      Map<String, TensorInfo> tensors, long dataStart, WeightMemory memory) {
    this.memory = memory;
    this.path = path;
    this.channel = channel;
    this.fileSize = fileSize;
    this.metadata = metadata;
    this.tensors = tensors;
    this.dataStart = dataStart;
  }

  /**
   * Maps and parses {@code path}, its tensors decoded into heap arrays; a truncated or corrupt file fails with a
   * message naming the path and the fault.
   */
  public static GgufFile open(Path path) throws IOException {
    return open(path, WeightStorage.HEAP.open());
  }

  /** {@link #open(Path)} with the tensors in {@code memory}, which the caller owns and closes with the model. */
  public static GgufFile open(Path path, WeightMemory memory) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      MappedByteBuffer header = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE));
      header.order(ByteOrder.LITTLE_ENDIAN);
      GgufParser p = new GgufParser(path, header);
      p.header();
      Map<String, Object> meta = p.metadata();
      Map<String, TensorInfo> infos = p.tensorInfos();
      Object alignment = meta.getOrDefault("general.alignment", 32);
      long align = alignment instanceof Integer || alignment instanceof Long ? ((Number) alignment).longValue() : -1;
      if (align <= 0 || (align & (align - 1)) != 0 || align > size) {
        throw new ModelFormatException(path + ": general.alignment must be a power of two no larger than the file, "
            + "got " + alignment);
      }
      long dataStart = (p.position() + align - 1) / align * align;
      GgufFile file = new GgufFile(path, ch, size, Collections.unmodifiableMap(meta),
          Collections.unmodifiableMap(infos), dataStart, memory);
      file.checkTensorBounds();
      return file;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Every tensor of a known type lies inside the file and no two overlap; sizes and ends are computed without
   * overflow (the parser already bounded each element count by the file size). A tensor of an unknown type is
   * reported when (and if) it is used, so files with extra tensors still load.
   */
  private void checkTensorBounds() {
    record Span(String name, long start, long end) {}
    java.util.List<Span> spans = new java.util.ArrayList<>();
    for (TensorInfo t : tensors.values()) {
      GgmlType type;
      try {
        type = GgmlType.ofId(t.typeId());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (t.elementCount() % type.blockSize() != 0) {
        throw new ModelFormatException(path + " is corrupt: tensor '" + t.name() + "' has " + t.elementCount()
            + " elements, not a multiple of the " + type.blockSize() + "-element " + type + " block");
      }
      long bytes = type.byteSize(t.elementCount());
      long room = fileSize - dataStart;
      if (t.offset() > room || bytes > room - t.offset()) {
        throw new ModelFormatException(path + " is truncated or corrupt: tensor '" + t.name() + "' at data offset "
            + t.offset() + " with " + bytes + " bytes runs past the end of the file (" + room + " data bytes)");
      }
      spans.add(new Span(t.name(), t.offset(), t.offset() + bytes));
    }
    spans.sort(java.util.Comparator.comparingLong(Span::start));
    for (int i = 1; i < spans.size(); i++) {
      Span a = spans.get(i - 1);
      Span b = spans.get(i);
      if (b.start() < a.end()) {
        throw new ModelFormatException(path + " is corrupt: tensors '" + a.name() + "' [" + a.start() + ", "
            + a.end() + ") and '" + b.name() + "' [" + b.start() + ", " + b.end() + ") overlap");
      }
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The tensor {@code name} as a flat {@link FloatTensor}; fails naming the tensor if missing or of a bad type. */
  public FloatTensor tensor(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw new ModelFormatException(path + ": tensor '" + name + "' is missing");
    }
    GgmlType type;
    try {
      type = GgmlType.ofId(t.typeId());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(path + ": tensor '" + name + "': " + e.getMessage(), e);
    }
    try {
      return memory.tensor(channel, dataStart + t.offset(), type, t.elementCount());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(path + ": tensor '" + name + "': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelFormatException(path + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
