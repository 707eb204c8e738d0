package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode layouts built at load ({@link DecodeLayouts}): sized before anything is allocated and refused over
 * {@link ModelLimits#MAX_DECODE_LAYOUT_SHARE_OF_RAM}; sized for mapped Q4_0 weights (every matrix, the tied output
 * included) and none for the heap copy; rows dequantise to the same floats after the {@link Transformer} built them
 * (twice: the second build is a no-op). The kernels over the layouts are checked in {@code KernelsTest} and
 * {@code BlockQuantKernelsTest}, whole models in {@code MappedWeightsTest}.
 */
class DecodeLayoutsTest {
  @TempDir
  Path dir;

  @Test
  void layoutsOverTheShareOfMemoryAreRefused() {
    long ram = 1L << 30;
    long limit = (long) (ram * ModelLimits.MAX_DECODE_LAYOUT_SHARE_OF_RAM);
    assertThat(DecodeLayouts.fits(limit, ram)).isTrue();
    assertThat(DecodeLayouts.fits(limit + 1, ram)).isFalse();
    assertThat(DecodeLayouts.fits(Long.MAX_VALUE, 0)).as("memory size unknown").isTrue();
  }

  @Test
  void mappedQuantisedMatricesAreSizedAndDequantiseTheSameOnceBuilt() throws IOException {
    assumeTrue(WeightStorage.mappedAvailable(), "memory-mapped weights need Java 22+");
    Path file = dir.resolve("m.gguf");
    ModelSpec tiny = ModelSpec.tinyQwen2();
    // every row count a multiple of 16, so every row is in a whole group of the layout (8 or 16 rows)
    int vocab = (tiny.vocab() + 15) / 16 * 16;
    ModelSpec spec = new ModelSpec(tiny.arch(), tiny.dim(), tiny.hidden(), tiny.layers(), tiny.heads(),
        tiny.kvHeads(), vocab, tiny.context(), tiny.ropeTheta(), tiny.tied());
    new RandomModel(spec, 5).writeGguf(file, TensorEncoding.Q4_0);
    try (LoadedModel mapped = LoadedModel.load(file, WeightStorage.MAPPED);
        LoadedModel heap = LoadedModel.load(file, WeightStorage.HEAP);
        Parallel par = new Parallel(2)) {
      ModelConfig c = mapped.config();
      long bytes = DecodeLayouts.bytes(c, mapped.weights());
      // from the shapes alone: q, k, v, o, gate, up, down per layer and the (tied) output matrix, 20 bytes per 32
      // Q4_0 weights in the layout (a float scale and 16 bytes of nibbles)
      int dim = spec.dim();
      int kv = spec.kvHeads() * spec.headDim();
      long weights = (long) spec.layers() * (2L * dim * dim + 2L * kv * dim + 3L * spec.hidden() * dim)
          + (long) vocab * dim;
      assertThat(bytes).isEqualTo(weights / 32 * 20);
      assertThat(DecodeLayouts.bytes(c, heap.weights())).isZero();
      float[] before = new float[c.dim()];
      mapped.weights().output().copyTo((long) 3 * c.dim(), before, 0, c.dim());
      new Transformer(c, mapped.weights(), par);
      new Transformer(c, mapped.weights(), par);
      float[] after = new float[c.dim()];
      mapped.weights().output().copyTo((long) 3 * c.dim(), after, 0, c.dim());
      assertThat(after).containsExactly(before);
    }
  }
}
