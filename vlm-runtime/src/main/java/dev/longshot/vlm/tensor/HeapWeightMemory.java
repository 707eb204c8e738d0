package dev.longshot.vlm.tensor;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** {@link WeightStorage#HEAP}: each tensor's bytes mapped briefly and decoded into heap arrays. */
final class HeapWeightMemory implements WeightMemory {
  @Override
  public WeightStorage storage() {
    return WeightStorage.HEAP;
  }

  @Override
  public FloatTensor tensor(FileChannel file, long offset, GgmlType type, long elements) throws IOException {
    long bytes = FloatTensor.checkedBytes(type, elements, offset, file.size());
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(bytes + " bytes; over 2 GiB per tensor needs memory-mapped weights (Java 22+)");
    }
    return FloatTensor.of(type, file.map(FileChannel.MapMode.READ_ONLY, offset, bytes).order(ByteOrder.LITTLE_ENDIAN),
        elements);
  }

  @Override
  public void close() {}
}
