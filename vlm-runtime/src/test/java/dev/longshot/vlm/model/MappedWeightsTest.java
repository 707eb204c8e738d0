package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.BlockPacker;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weights memory-mapped and read in place ({@link WeightStorage#MAPPED}, Java 22+) against the heap copy (the Java 21
 * path, {@link WeightStorage#HEAP}) of the same file: the same logits for prefill (the GEMM, which packs tiles
 * through {@code copyTo}) and decode (the per-type dot products), in every GGUF type and in safetensors, to within
 * 1e-4 (the logits spread over more than 5; the kernels run the same loops in the same order, but the Vector API's
 * {@code reduceLanes} sums lanes in a different order before and after C2 compiles it, so the last bits may differ).
 * Decode with Q8_0 / Q4_0 / Q4_K / Q6_K weights is the exception: mapped storage runs it on an interleaved copy
 * built at load ({@code tensor.Interleaved}), which sums a row's blocks in another float order than the heap kernel,
 * and a float difference can carry an activation quant across its rounding boundary in a later layer; there the
 * logits are compared within {@link ForwardPassTest#ROUNDED_TOLERANCE} (measured 1.5e-3 on the Q4_K_M-like file and
 * 0.079 on the Q6_K file; ForwardPassTest's stepwise decode of the same kind of model is within 1e-6 of the rounding
 * reference both ways, and such flips move either storage: its Q4_K model 0.135 mapped / 1e-6 heap, its Qwen2 Q8_0
 * 2.5e-7 mapped / 0.125 heap);
 * closing the model unmaps; bad ranges fail with one line. Skipped where mapping is not available (a Java 21 run).
 */
class MappedWeightsTest {
  private static final int[] PROMPT = {0, 120, 261, 266, 114, 119, 123, 264, 36, 109, 119, 5, 77, 200, 33, 90, 91};

  @TempDir
  Path dir;

  @BeforeEach
  void needsMapping() {
    assumeTrue(WeightStorage.mappedAvailable(), "memory-mapped weights need Java 22+");
  }

  @ParameterizedTest
  @ValueSource(ints = {TensorEncoding.F32, TensorEncoding.F16, TensorEncoding.BF16, TensorEncoding.Q8_0,
      TensorEncoding.Q4_0, BlockPacker.Q4_K, BlockPacker.Q6_K, BlockPacker.Q5_K, BlockPacker.Q5_0, BlockPacker.Q4_1,
      BlockPacker.Q5_1})
  void mappedGgufGivesTheHeapCopysLogits(int type) throws IOException {
    Path file = dir.resolve("m.gguf");
    ModelSpec spec = GgmlType.ofId(type).blockSize() == 256 ? ModelSpec.tinyKLlama()
        : type == TensorEncoding.BF16 ? ModelSpec.tinyQwen2() : ModelSpec.tinyLlama();
    new RandomModel(spec, 77).writeGguf(file, type);
    assertSameLogits(file, "GGUF type " + GgmlType.ofId(type), type == TensorEncoding.Q8_0
        || type == TensorEncoding.Q4_0 || type == BlockPacker.Q4_K || type == BlockPacker.Q6_K);
  }

  @Test
  void mappedQ4KmLikeMixedFileGivesTheHeapCopysLogits() throws IOException {
    Path file = dir.resolve("mixed.gguf");
    RandomModel m = new RandomModel(ModelSpec.tinyKQwen2Ragged(), 81);
    m.writeGguf(file, m.q4KmTypes());
    assertSameLogits(file, "Q4_K_M-like GGUF", true); // Q8_0 where a K-quant's blocks do not fit the width
  }

  @Test
  void mappedSafetensorsGivesTheHeapCopysLogits() throws IOException {
    Path hf = dir.resolve("hf");
    new RandomModel(ModelSpec.tinyQwen2(), 78).writeHuggingFace(hf);
    assertSameLogits(hf, "safetensors", false);
  }

  private static void assertSameLogits(Path model, String what, boolean interleavedDecode) throws IOException {
    try (LoadedModel heap = LoadedModel.load(model, WeightStorage.HEAP);
        LoadedModel mapped = LoadedModel.load(model, WeightStorage.MAPPED);
        Parallel par = new Parallel(2)) {
      assertThat(heap.memory().storage()).isEqualTo(WeightStorage.HEAP);
      assertThat(mapped.memory().storage()).isEqualTo(WeightStorage.MAPPED);
      for (int chunk : new int[] {PROMPT.length, 1}) {
        float[] h = logits(heap, par, chunk);
        float[] m = logits(mapped, par, chunk);
        assertThat(ForwardPassTest.spread(toDouble(h))).as("logits must not be flat").isGreaterThan(5.0);
        assertThat(ForwardPassTest.maxDiff(m, toDouble(h))).as("%s, chunks of %d tokens", what, chunk)
            .isLessThanOrEqualTo(chunk == 1 && interleavedDecode ? ForwardPassTest.ROUNDED_TOLERANCE : 1e-4);
      }
    }
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static float[] logits(LoadedModel m, Parallel par, int chunk) {
    Transformer t = new Transformer(m.config(), m.weights(), par);
    ModelConfig c = m.config();
    KvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), 64);
    float[] logits = null;
    for (int start = 0; start < PROMPT.length; start += chunk) {
      int n = Math.min(chunk, PROMPT.length - start);
      logits = t.forward(Arrays.copyOfRange(PROMPT, start, start + n), n, start, cache, AttentionStrategies.dense(),
          start + n == PROMPT.length);
    }
    return logits.clone();
  }

  @Test
  void closingTheModelUnmapsItsWeights() throws IOException {
    Path file = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 79).writeGguf(file, TensorEncoding.Q8_0);
    LoadedModel m = LoadedModel.load(file, WeightStorage.MAPPED);
    float first = m.weights().tokenEmbedding().get(0);
    assertThat(first).isFinite();
    m.close();
    m.close(); // idempotent
    assertThatThrownBy(() -> m.weights().tokenEmbedding().get(0)).isInstanceOf(IllegalStateException.class);
    Files.delete(file); // nothing holds the file any more
  }

  @Test
  void rangesPastTheFileFailWithOneLineBeforeMapping() throws IOException {
    Path f = dir.resolve("short.bin");
    Files.write(f, new byte[100]);
    try (WeightMemory memory = WeightStorage.MAPPED.open();
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      assertThatThrownBy(() -> memory.tensor(ch, 0, GgmlType.F32, 26)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("F32 tensor of 26 elements (104 bytes) at byte 0 runs past the end of the 100-byte file");
      assertThatThrownBy(() -> memory.tensor(ch, -4, GgmlType.F32, 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at byte -4");
      assertThatThrownBy(() -> memory.tensor(ch, Long.MAX_VALUE - 2, GgmlType.F32, 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past the end");
      assertThatThrownBy(() -> memory.tensor(ch, 0, GgmlType.Q8_0, 33)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("multiple of 32");
      assertThatThrownBy(() -> memory.tensor(ch, 0, GgmlType.F32, 1L << 40))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over 2^31 elements");
    }
  }

  @Test
  void everyTruncationOfAMappedModelFailsWithOneLine() throws IOException {
    Path file = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 80).writeGguf(file, TensorEncoding.Q4_0);
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.gguf");
    for (int len : new int[] {0, 20, 2000, whole.length / 2, whole.length - 200}) {
      Files.write(cut, Arrays.copyOf(whole, len));
      assertThatThrownBy(() -> LoadedModel.load(cut, WeightStorage.MAPPED)).as("truncated to %d bytes", len)
          .isInstanceOf(ModelFormatException.class).hasMessageContaining("cut.gguf")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
