package dev.longshot.vlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmAttention;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load that fails after the kernel threads started (here: the decode layouts were built, then the attention pattern
 * file is missing) leaves nothing running: the generator's threads are stopped, and a model {@link TextGenerator#load}
 * loaded itself is closed; a model the caller passed to {@link TextGenerator#of} stays open for the caller.
 */
class LoadFailureTest {
  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws Exception {
    model = dir.resolve("qwen.gguf");
    new RandomModel(ModelSpec.tinyQwen2(), 5).writeGguf(model, TensorEncoding.Q4_0); // layouts where mapped
  }

  private static VlmSettings missingPatterns() {
    return new VlmSettings(model, 2, 256, 8, KvPolicy.FULL, 0.5, 0.5, KvMerge.PIVOTAL, VlmAttention.MMINFERENCE,
        dir.resolve("missing.patterns"));
  }

  @Test
  void aFailedLoadStopsItsKernelThreads() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    assertThatThrownBy(() -> TextGenerator.load(model, missingPatterns())).isInstanceOf(IOException.class);
    assertThat(kernelThreadsStillRunning(before)).isEmpty();
  }

  @Test
  void aFailedGeneratorOverACallersModelStopsItsThreadsAndLeavesTheModelOpen() throws Exception {
    try (LoadedModel lm = LoadedModel.load(model)) {
      Set<Thread> before = Thread.getAllStackTraces().keySet();
      assertThatThrownBy(() -> TextGenerator.of(lm, missingPatterns())).isInstanceOf(IOException.class);
      assertThat(kernelThreadsStillRunning(before)).isEmpty();
      float[] row = new float[lm.config().dim()];
      lm.weights().output().copyTo(0, row, 0, row.length); // still readable: the caller closes it
      try (TextGenerator g = TextGenerator.of(lm, new VlmSettings(model, 2, 256, 8))) {
        assertThat(g.generate("the", dev.longshot.vlm.sample.GenerationSettings.greedy(2), s -> { }))
            .isNotNull();
      }
    }
  }

  /** Worker threads (not the common pool's) started since {@code before} that are alive after a bounded join. */
  private static List<Thread> kernelThreadsStillRunning(Set<Thread> before) throws InterruptedException {
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t instanceof ForkJoinWorkerThread w && w.getPool() != ForkJoinPool.commonPool())
        .toList();
    for (Thread t : started) {
      t.join(10_000); // a stopped pool's idle workers exit at once; a leaked one idles for a minute
    }
    return started.stream().filter(Thread::isAlive).toList();
  }
}
