package dev.longshot.vlm.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@link WeightStorage#MAPPED} (Java 22+, reached only through {@link WeightStorage#open}): each file is mapped once,
 * read-only, whole, into one shared {@link Arena}; a tensor is a slice of it, read in place by the
 * {@code Mapped*Tensor} kernels. {@link #close} closes the arena, which unmaps every file; reads after that throw
 * {@link IllegalStateException}.
 */
public final class MappedWeightMemory implements WeightMemory {
  private final Arena arena = Arena.ofShared();
  private final Map<FileChannel, MemorySegment> files = new IdentityHashMap<>();
  private boolean closed;

  public MappedWeightMemory() {}

  @Override
  public WeightStorage storage() {
    return WeightStorage.MAPPED;
  }

  @Override
  public synchronized FloatTensor tensor(FileChannel file, long offset, GgmlType type, long elements)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("the model's weight memory is closed");
    }
    MemorySegment whole = files.get(file);
    if (whole == null) {
      whole = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size(), arena);
      files.put(file, whole);
    }
    long bytes = FloatTensor.checkedBytes(type, elements, offset, whole.byteSize());
    MemorySegment s = whole.asSlice(offset, bytes);
    return switch (type) {
      case F32 -> new MappedF32Tensor(s, elements);
      case F16, BF16 -> new MappedHalfTensor(type, s, elements);
      case Q8_0 -> new MappedQ8Tensor(s, elements, arena);
      case Q4_0 -> new MappedQ4Tensor(s, elements, arena);
      case Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> new MappedBlockTensor(type, s, elements, arena);
    };
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      files.clear();
      arena.close();
    }
  }
}
