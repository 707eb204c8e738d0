package dev.longshot.vlm.tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The memory one model's weights are read into or mapped from ({@link WeightStorage}); one per loaded model, closed
 * with it. A {@link WeightStorage#HEAP} memory decodes each tensor into heap arrays (closing it does nothing; the
 * tensors stay valid). A {@link WeightStorage#MAPPED} memory maps each file once, read-only, in one shared arena;
 * {@link #close} unmaps every file, after which its tensors throw {@link IllegalStateException} when read (no crash).
 * Safe for use from several threads.
 */
public interface WeightMemory extends AutoCloseable {
  WeightStorage storage();

  /**
   * The tensor of {@code elements} values of {@code type} stored at byte {@code offset} of {@code file}. The caller
   * has checked the range against the file's header; it is checked again here against the file's size, and the
   * element count against what the kernels address (an {@link IllegalArgumentException} says which). The channel
   * may be closed afterwards.
   */
  FloatTensor tensor(FileChannel file, long offset, GgmlType type, long elements) throws IOException;

  /** Releases the mapping (idempotent). */
  @Override
  void close();
}
