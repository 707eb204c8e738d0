package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.BlockPacker;
import dev.longshot.vlm.testmodel.GgufWriter;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files with llama.cpp's K-quant block types: a Q4_K_M-like mix loads with each tensor in its stored type; a 256-block
 * type on rows that are not a multiple of 256 (Qwen2.5-0.5B's 896-wide rows), or on a tensor whose element count is
 * not whole blocks, fails with one line naming the tensor, before anything is decoded.
 */
class BlockTypeFileTest {
  @TempDir
  Path dir;

  @Test
  void aQ4KmLikeFileLoadsEveryTensorInItsStoredType() throws Exception {
    Path file = dir.resolve("q4km.gguf");
    RandomModel m = new RandomModel(ModelSpec.tinyKQwen2Ragged(), 5);
    m.writeGguf(file, m.q4KmTypes());
    for (WeightStorage storage : WeightStorage.values()) {
      if (storage == WeightStorage.MAPPED && !WeightStorage.mappedAvailable()) {
        continue;
      }
      try (LoadedModel loaded = LoadedModel.load(file, storage)) {
        ModelWeights w = loaded.weights();
        assertThat(w.tokenEmbedding().type()).isEqualTo(GgmlType.Q4_K);
        assertThat(w.layers()[0].wv().type()).isEqualTo(GgmlType.Q6_K);
        assertThat(w.layers()[1].wv().type()).isEqualTo(GgmlType.Q4_K);
        assertThat(w.layers()[0].wDown().type()).isEqualTo(GgmlType.Q8_0);
        assertThat(w.layers()[1].wDown().type()).isEqualTo(GgmlType.Q5_0);
      }
    }
  }

  @Test
  void rowsThatDoNotFillWholeKBlocksAreNamedInOneLine() throws Exception {
    Path file = dir.resolve("ragged.gguf");
    new RandomModel(ModelSpec.tinyKQwen2Ragged(), 5).writeGguf(file, BlockPacker.Q4_K);
    assertThatThrownBy(() -> LoadedModel.load(file)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("blk.0.ffn_down.weight").hasMessageContaining("rows of 352 values")
        .hasMessageContaining("Q4_K").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anElementCountThatIsNotWholeBlocksIsNamedBeforeDecoding() throws Exception {
    Path f = dir.resolve("count.gguf");
    new GgufWriter().put("general.architecture", "llama").put("llama.embedding_length", 64)
        .put("llama.attention.head_count", 4).put("llama.feed_forward_length", 96).put("llama.block_count", 1)
        .tensor("token_embd.weight", new long[] {64, 10}, TensorEncoding.F32, new byte[2560])
        .tensor("blk.0.attn_norm.weight", new long[] {64}, BlockPacker.Q6_K, new byte[210]).write(f);
    assertThatThrownBy(() -> LoadedModel.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("blk.0.attn_norm.weight").hasMessageContaining("256-element Q6_K block");
  }
}
