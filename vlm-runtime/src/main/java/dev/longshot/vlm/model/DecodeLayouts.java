package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.Parallel;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds, once per loaded model, the decode layouts of its matrices ({@link FloatTensor#buildLayout}: the interleaved
 * copies of mapped Q8_0 / Q4_0 / Q4_K / Q6_K / Q5_0 / Q4_1 matrices) over the model's threads, so that neither the first answer
 * token nor prefill pays for them and the file's pages of those matrices are released once copied. The total size is
 * checked before anything is allocated: above {@link ModelLimits#MAX_DECODE_LAYOUT_SHARE_OF_RAM} of physical memory
 * nothing is built (logged once) and the kernels read the file in place. An untied token embedding is left in the file
 * (prefill reads a few of its rows). Idempotent: a second {@code Transformer} over the same weights builds nothing.
 */
public final class DecodeLayouts {
  private static final System.Logger LOG = System.getLogger(DecodeLayouts.class.getName());

  private DecodeLayouts() {}

  /** The matrices of {@code w} with their column counts, each tensor once. */
  static Map<FloatTensor, Integer> matrices(ModelConfig c, ModelWeights w) {
    Map<FloatTensor, Integer> m = new IdentityHashMap<>();
    for (LayerWeights l : w.layers()) {
      m.put(l.wq(), c.dim());
      m.put(l.wk(), c.dim());
      m.put(l.wv(), c.dim());
      m.put(l.wo(), c.qDim());
      m.put(l.wGate(), c.dim());
      m.put(l.wUp(), c.dim());
      m.put(l.wDown(), c.hiddenDim());
    }
    m.put(w.output(), c.dim());
    return m;
  }

  /** Bytes {@link #build} would allocate. */
  public static long bytes(ModelConfig c, ModelWeights w) {
    long total = 0;
    for (Map.Entry<FloatTensor, Integer> e : matrices(c, w).entrySet()) {
      total += e.getKey().layoutBytes(e.getValue());
    }
    return total;
  }

  /** Builds every matrix's layout over {@code par}; returns the bytes allocated (0 when over the limit). */
  public static long build(ModelConfig c, ModelWeights w, Parallel par) {
    long total = bytes(c, w);
    if (total == 0) {
      return 0;
    }
    long ram = physicalMemory();
    if (!fits(total, ram)) {
      LOG.log(Level.INFO, "vlm-runtime: the decode layout of this model (" + (total >> 20) + " MiB) would exceed "
          + Math.round(ModelLimits.MAX_DECODE_LAYOUT_SHARE_OF_RAM * 100) + " % of the " + (ram >> 20)
          + " MiB of memory; decoding from the file in place (slower)");
      return 0;
    }
    List<Map.Entry<FloatTensor, Integer>> todo = new ArrayList<>(matrices(c, w).entrySet());
    for (Map.Entry<FloatTensor, Integer> e : todo) {
      e.getKey().buildLayout(e.getValue(), par);
    }
    return total;
  }

  /** Whether layouts of {@code bytes} may be built on a machine of {@code ram} bytes (0: unknown, allowed). */
  static boolean fits(long bytes, long ram) {
    return ram <= 0 || bytes <= ram * ModelLimits.MAX_DECODE_LAYOUT_SHARE_OF_RAM;
  }

  private static long physicalMemory() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : 0;
  }
}
