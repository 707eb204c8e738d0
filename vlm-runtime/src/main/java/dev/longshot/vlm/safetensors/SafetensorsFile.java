package dev.longshot.vlm.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Hugging Face safetensors file: a u64 little-endian header length, a JSON header mapping tensor names to
 * {@code {dtype, shape, data_offsets: [begin, end]}} (offsets relative to the end of the header), then the data.
 * Supported dtypes: F32, F16, BF16. Close it after reading the tensors: they are decoded to heap arrays
 * ({@link #open(Path)}) or read in place from a {@link WeightStorage#MAPPED} memory, valid until it is closed. The header
 * length, every shape (integers, none negative, a product that neither overflows nor disagrees with the byte range)
 * and every byte range (inside the file, none overlapping) are checked when the file is opened (issue 12, point 7).
 */
public final class SafetensorsFile implements AutoCloseable {
  /** A tensor's header entry; {@code shape} is PyTorch order (outermost first). */
  public record Entry(String name, GgmlType type, long[] shape, long begin, long end) {
    public long elementCount() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final WeightMemory memory;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
      WeightMemory memory) {
    this.memory = memory;
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  /** Opens {@code path}, its tensors decoded into heap arrays. */
  public static SafetensorsFile open(Path path) throws IOException {
    return open(path, WeightStorage.HEAP.open());
  }

  /** {@link #open(Path)} with the tensors in {@code memory}, which the caller owns and closes with the model. */
  public static SafetensorsFile open(Path path, WeightMemory memory) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (size < 8 || ch.read(len, 0) != 8) {
        throw new ModelFormatException(path + " is too short to be a safetensors file (" + size + " bytes)");
      }
      long headerLen = len.getLong(0);
      if (headerLen <= 0 || headerLen > Math.min(size - 8, ModelLimits.MAX_SAFETENSORS_HEADER_BYTES)) {
        throw new ModelFormatException(path + " is not a safetensors file or is truncated: header length " + headerLen
            + ", file size " + size + " (headers of up to " + ModelLimits.MAX_SAFETENSORS_HEADER_BYTES
            + " bytes are read)");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      while (header.hasRemaining()) {
        if (ch.read(header, 8 + header.position()) < 0) {
          throw new ModelFormatException(path + " is truncated inside its header");
        }
      }
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(header.array());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        throw new ModelFormatException(path + ": the safetensors header is not valid JSON: " + e.getOriginalMessage()
            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
      }
      long dataStart = 8 + headerLen;
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (var it = root.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getKey().equals("__metadata__")) {
          entries.put(e.getKey(), entry(path, e.getKey(), e.getValue(), size - dataStart));
        }
      }
      checkNoOverlap(path, entries);
      return new SafetensorsFile(path, ch, dataStart, entries, memory);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static Entry entry(Path path, String name, JsonNode n, long dataBytes) {
    String dtype = n.path("dtype").asText();
    GgmlType type = switch (dtype) {
      case "F32" -> GgmlType.F32;
      case "F16" -> GgmlType.F16;
      case "BF16" -> GgmlType.BF16;
      default -> throw new ModelFormatException(path + ": tensor '" + name + "' has dtype " + dtype
          + "; supported: F32, F16, BF16");
    };
    JsonNode shapeNode = n.path("shape");
    if (!shapeNode.isArray() || shapeNode.size() > ModelLimits.MAX_TENSOR_RANK) {
      throw new ModelFormatException(path + " is corrupt: tensor '" + name + "' has shape " + shapeNode
          + " (a list of at most " + ModelLimits.MAX_TENSOR_RANK + " sizes expected)");
    }
    long[] shape = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      // no element takes less than a byte here, so the data section bounds the element count
      if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0
          || (d.asLong() > 0 && elements > dataBytes / d.asLong())) {
        throw new ModelFormatException(path + " is corrupt: tensor '" + name + "' has shape " + shapeNode
            + ": size " + d + " is not a count that fits in the file's " + dataBytes + " data bytes");
      }
      shape[i] = d.asLong();
      elements *= shape[i];
    }
    JsonNode offsets = n.path("data_offsets");
    long begin = offsets.size() == 2 && offsets.get(0).canConvertToLong() ? offsets.get(0).asLong() : -1;
    long end = offsets.size() == 2 && offsets.get(1).canConvertToLong() ? offsets.get(1).asLong() : -1;
    Entry e = new Entry(name, type, shape, begin, end);
    if (begin < 0 || end < begin || end > dataBytes || end - begin != type.byteSize(elements)) {
      throw new ModelFormatException(path + " is truncated or corrupt: tensor '" + name + "' spans bytes " + offsets
          + " of " + dataBytes + " for shape " + java.util.Arrays.toString(shape) + " " + dtype);
    }
    return e;
  }

  private static void checkNoOverlap(Path path, Map<String, Entry> entries) {
    java.util.List<Entry> sorted = new java.util.ArrayList<>(entries.values());
    sorted.sort(java.util.Comparator.comparingLong(Entry::begin));
    for (int i = 1; i < sorted.size(); i++) {
      Entry a = sorted.get(i - 1);
      Entry b = sorted.get(i);
      if (b.begin() < a.end()) {
        throw new ModelFormatException(path + " is corrupt: tensors '" + a.name() + "' [" + a.begin() + ", " + a.end()
            + ") and '" + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap");
      }
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, Entry> entries() {
    return entries;
  }

  /** Reads tensor {@code name} into a flat {@link FloatTensor}. */
  public FloatTensor tensor(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new ModelFormatException(path + ": tensor '" + name + "' is missing");
    }
    try {
      return memory.tensor(channel, dataStart + e.begin(), e.type(), e.elementCount());
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(path + ": tensor '" + name + "': " + ex.getMessage(), ex);
    } catch (IOException ex) {
      throw new ModelFormatException(path + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
