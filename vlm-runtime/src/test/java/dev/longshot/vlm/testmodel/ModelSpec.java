package dev.longshot.vlm.testmodel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Shape of a generated random-weight model. {@code vocab} counts every token (specials, 256 byte tokens, a few merges
 * and fillers up to the size); {@code context} is the training context the model file declares (the runtime holds
 * the smaller of it and {@code vlm.context-length}). The real shapes declare their real models' contexts.
 */
public record ModelSpec(String arch, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int context,
    float ropeTheta, boolean tied) {

  public int headDim() {
    return dim / heads;
  }

  /** Tiny Llama-family model for parity tests (2 layers, GQA 4:2, head size 16). */
  public static ModelSpec tinyLlama() {
    return new ModelSpec("llama", 64, 96, 2, 4, 2, TestVocab.MIN_SIZE, 256, 10000f, false);
  }

  /** Tiny Qwen2 model (QKV biases, tied embeddings). */
  public static ModelSpec tinyQwen2() {
    return new ModelSpec("qwen2", 64, 128, 2, 4, 1, TestVocab.MIN_SIZE, 256, 1000000f, true);
  }

  /** Tiny Llama-family model whose every matrix row fills whole 256-element K-quant blocks. */
  public static ModelSpec tinyKLlama() {
    return new ModelSpec("llama", 256, 512, 2, 4, 2, TestVocab.MIN_SIZE, 256, 10000f, false);
  }

  /**
   * Tiny Qwen2 model whose feed-forward width (352) is not a multiple of 256, so {@code ffn_down} needs one of
   * llama.cpp's 32-element fallback types, as Qwen2.5-0.5B's 896-wide rows do.
   */
  public static ModelSpec tinyKQwen2Ragged() {
    return new ModelSpec("qwen2", 256, 352, 2, 4, 1, TestVocab.MIN_SIZE, 256, 1000000f, true);
  }

  /** SmolLM2-135M's real shape (the text side of SmolVLM), 8k context. */
  public static ModelSpec smolLm2_135m() {
    return new ModelSpec("llama", 576, 1536, 30, 9, 3, 49152, 8192, 100000f, true);
  }

  /** Qwen2.5-0.5B's real shape, 32k context. */
  public static ModelSpec qwen25_05b() {
    return new ModelSpec("qwen2", 896, 4864, 24, 14, 2, 151936, 32768, 1000000f, true);
  }

  /** Qwen2.5-1.5B's real shape, 32k context. */
  public static ModelSpec qwen25_15b() {
    return new ModelSpec("qwen2", 1536, 8960, 28, 12, 2, 151936, 32768, 1000000f, true);
  }

  /** The real shapes by the names the benchmarks take, in order. */
  private static final Map<String, Supplier<ModelSpec>> REAL_SHAPES = new LinkedHashMap<>();

  static {
    REAL_SHAPES.put("smollm", ModelSpec::smolLm2_135m);
    REAL_SHAPES.put("qwen05", ModelSpec::qwen25_05b);
    REAL_SHAPES.put("qwen15", ModelSpec::qwen25_15b);
  }

  /** The names {@link #named} knows: {@code smollm, qwen05, qwen15}. */
  public static List<String> realShapeNames() {
    return List.copyOf(REAL_SHAPES.keySet());
  }

  /** The real shape called {@code name}; an unknown name fails listing the known ones. */
  public static ModelSpec named(String name) {
    Supplier<ModelSpec> s = REAL_SHAPES.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown model " + name + " (" + String.join(", ", REAL_SHAPES.keySet())
          + ")");
    }
    return s.get();
  }
}
