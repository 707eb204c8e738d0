package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.tensor.FloatTensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a decoder's config and weights from GGUF metadata ({@code <arch>.embedding_length}, ...) and llama.cpp's
 * tensor names ({@code token_embd}, {@code blk.N.attn_q}, ...), checking every shape. Llama-family GGUF files rotate
 * interleaved pairs (the converter permuted Q/K); Qwen2 rotates NeoX pairs. Llama 3 scaling comes as the
 * {@code rope_freqs} tensor.
 */
public final class GgufModelLoader {
  private final GgufFile file;
  private final GgufTensors tensors;
  private final Map<String, Object> meta;
  private final String arch;

  public GgufModelLoader(GgufFile file) {
    this.file = file;
    this.tensors = new GgufTensors(file);
    this.meta = file.metadata();
    Object a = meta.get("general.architecture");
    if (!(a instanceof String s)) {
      throw new ModelFormatException(file.path() + ": general.architecture is missing");
    }
    this.arch = s;
  }

  public ModelConfig config() {
    Architecture architecture = Architecture.fromGguf(arch, file.path());
    int dim = intKey("embedding_length", null, ModelLimits.MAX_WIDTH);
    int heads = intKey("attention.head_count", null, ModelLimits.MAX_HEADS);
    int kvHeads = intKey("attention.head_count_kv", heads, ModelLimits.MAX_HEADS);
    int headDim = intKey("attention.key_length", Math.max(1, dim / heads), ModelLimits.MAX_WIDTH);
    int rotDim = intKey("rope.dimension_count", headDim, ModelLimits.MAX_WIDTH);
    if (rotDim != headDim) {
      throw new ModelFormatException(file.path() + ": partial rotary embeddings (rope.dimension_count " + rotDim
          + " < head size " + headDim + ") are not supported");
    }
    String scaling = String.valueOf(meta.getOrDefault(arch + ".rope.scaling.type", "none"));
    float freqScale = switch (scaling) {
      case "none" -> 1f;
      case "linear" -> 1f / floatKey("rope.scaling.factor", 1f);
      default -> throw new ModelFormatException(file.path() + ": rope scaling '" + scaling
          + "' is not supported; supported: none, linear, llama3 (rope_freqs)");
    };
    float[] factors = null;
    if (file.tensors().containsKey("rope_freqs.weight")) {
      FloatTensor f = file.tensor("rope_freqs.weight");
      factors = new float[(int) f.size()];
      f.copyTo(0, factors, 0, factors.length);
    }
    long[] embDims = tensors.dims("token_embd.weight");
    if (embDims.length != 2) {
      throw new ModelFormatException(file.path() + ": tensor 'token_embd.weight' has shape " + Arrays.toString(embDims)
          + ", expected [" + dim + ", vocabulary size]");
    }
    int vocab = ModelLimits.positive(file.path(), "tensor 'token_embd.weight' vocabulary size", embDims[1],
        ModelLimits.MAX_VOCAB);
    int hidden = intKey("feed_forward_length", null, ModelLimits.MAX_WIDTH);
    int layers = intKey("block_count", null, ModelLimits.MAX_LAYERS);
    int context = intKey("context_length", 2048, ModelLimits.MAX_CONTEXT);
    RopeStyle style = architecture == Architecture.LLAMA ? RopeStyle.INTERLEAVED : RopeStyle.NEOX;
    try {
      return new ModelConfig(architecture, dim, hidden, layers, heads, kvHeads, headDim, vocab, context,
          floatKey("attention.layer_norm_rms_epsilon", 1e-5f), floatKey("rope.freq_base", 10000f), style,
          freqScale, factors);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file.path() + ": " + e.getMessage(), e);
    }
  }

  public ModelWeights weights(ModelConfig c) {
    int dim = c.dim();
    LayerWeights[] layers = new LayerWeights[c.layers()];
    boolean biases = c.architecture() == Architecture.QWEN2;
    for (int l = 0; l < c.layers(); l++) {
      String p = "blk." + l + ".";
      layers[l] = new LayerWeights(vector(p + "attn_norm.weight", dim),
          matrix(p + "attn_q.weight", c.qDim(), dim), matrix(p + "attn_k.weight", c.kvDim(), dim),
          matrix(p + "attn_v.weight", c.kvDim(), dim),
          biases ? vector(p + "attn_q.bias", c.qDim()) : null, biases ? vector(p + "attn_k.bias", c.kvDim()) : null,
          biases ? vector(p + "attn_v.bias", c.kvDim()) : null,
          matrix(p + "attn_output.weight", dim, c.qDim()), vector(p + "ffn_norm.weight", dim),
          matrix(p + "ffn_gate.weight", c.hiddenDim(), dim), matrix(p + "ffn_up.weight", c.hiddenDim(), dim),
          matrix(p + "ffn_down.weight", dim, c.hiddenDim()));
    }
    FloatTensor emb = matrix("token_embd.weight", c.vocabSize(), dim);
    FloatTensor out = tensors.contains("output.weight") ? matrix("output.weight", c.vocabSize(), dim) : emb;
    return new ModelWeights(emb, layers, vector("output_norm.weight", dim), out);
  }




  /** Integer metadata {@code <arch>.key} within {@code 1..max}; a float, a string or a value out of range is named. */
  private int intKey(String key, Integer fallback, long max) {
    String name = arch + "." + key;
    Object v = meta.get(name);
    if (v == null) {
      if (fallback == null) {
        throw new ModelFormatException(file.path() + ": metadata '" + name + "' is missing");
      }
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new ModelFormatException(file.path() + ": metadata '" + name + "' is " + v + "; expected an integer");
    }
    return ModelLimits.positive(file.path(), "metadata '" + name + "'", ((Number) v).longValue(), max);
  }

  private float floatKey(String key, float fallback) {
    Object v = meta.get(arch + "." + key);
    return v instanceof Number n ? n.floatValue() : fallback;
  }

  private FloatTensor matrix(String name, int rows, int cols) {
    return tensors.matrix(name, rows, cols);
  }

  private float[] vector(String name, int n) {
    return tensors.vector(name, n);
  }
}
