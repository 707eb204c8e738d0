package dev.longshot.vlm.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel tests' tensors over encoded bytes in either storage: heap, or mapped from a file in {@code dir} at byte 7,
 * so no block is aligned. Closing unmaps them.
 */
final class TestTensors implements AutoCloseable {
  private final Path dir;
  private WeightMemory mapped;

  TestTensors(Path dir) {
    this.dir = dir;
  }

  FloatTensor of(GgmlType type, byte[] bytes, long elements, WeightStorage storage) {
    if (storage == WeightStorage.HEAP) {
      return FloatTensor.of(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), elements);
    }
    try {
      if (mapped == null) {
        mapped = WeightStorage.MAPPED.open();
      }
      Path f = Files.createTempFile(dir, "tensor", ".bin");
      byte[] padded = new byte[bytes.length + 7];
      System.arraycopy(bytes, 0, padded, 7, bytes.length);
      Files.write(f, padded);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        return mapped.tensor(ch, 7, type, elements);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (mapped != null) {
      mapped.close();
    }
  }
}
