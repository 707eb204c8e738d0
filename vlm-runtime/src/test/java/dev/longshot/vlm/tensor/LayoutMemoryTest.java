package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode layouts' memory ({@code LayoutMemory}, Java 22+): a matrix whose layout is large enough for the mapped,
 * huge-page path (a 4096 x 1152 Q8_0 matrix: 5.3 MB) decodes and dequantises as the heap copy, and closing the memory
 * unmaps it (an unmap failure would throw from the close).
 */
class LayoutMemoryTest {
  @TempDir
  Path dir;

  @Test
  void aMatrixWhoseLayoutIsOnHugePagesMatchesTheHeapCopy() throws Exception {
    assumeTrue(WeightStorage.mappedAvailable(), "memory-mapped weights need Java 22+");
    int rows = 4096;
    int cols = 1152;
    SplittableRandom r = new SplittableRandom(3);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    byte[] bytes = TensorEncoding.encode(v, TensorEncoding.Q8_0);
    Path f = dir.resolve("w.bin");
    Files.write(f, bytes);
    FloatTensor heap = FloatTensor.of(GgmlType.Q8_0, ByteBuffer.wrap(bytes), (long) rows * cols);
    try (WeightMemory memory = WeightStorage.MAPPED.open();
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
        Parallel par = new Parallel(2)) {
      FloatTensor w = memory.tensor(ch, 0, GgmlType.Q8_0, (long) rows * cols);
      assertThat(w.layoutBytes(cols)).isGreaterThanOrEqualTo(4L << 20);
      w.buildLayout(cols, par);
      float[] got = new float[cols * 3];
      float[] want = new float[cols * 3];
      w.copyTo((long) cols * 1000 + 5, got, 0, got.length);
      heap.copyTo((long) cols * 1000 + 5, want, 0, want.length);
      assertThat(got).containsExactly(want);
      float[] x = new float[cols];
      for (int i = 0; i < cols; i++) {
        x[i] = (float) r.nextGaussian();
      }
      Q8Activation xq = Q8Activation.of(x, cols);
      float[] out = new float[rows];
      w.dotRows(0, rows, xq, out);
      for (int row = 0; row < rows; row += 97) {
        float expected = heap.dot((long) row * cols, xq);
        assertThat(out[row]).as("row %d", row).isCloseTo(expected, within(1e-3f * (1 + Math.abs(expected))));
      }
    }
  }
}
