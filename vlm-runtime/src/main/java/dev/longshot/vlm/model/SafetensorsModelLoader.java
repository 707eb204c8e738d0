package dev.longshot.vlm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Hugging Face checkpoint directory: {@code config.json} for the hyper-parameters and every
 * {@code *.safetensors} file for the weights ({@code model.layers.N.self_attn.q_proj.weight}, ...). HF Llama weights
 * are not permuted, so both families rotate NeoX pairs; Llama 3 {@code rope_scaling} becomes per-frequency factors
 * exactly as llama.cpp's converter computes its {@code rope_freqs}. In a vision-language checkpoint (config.json with
 * {@code text_config} and {@code vision_config}: Idefics3, SmolVLM) the decoder is {@code text_config} and its tensors
 * are under {@code model.text_model.}.
 */
public final class SafetensorsModelLoader implements AutoCloseable {
  private final Path dir;
  private final JsonNode cfg;
  /** Prefix of the decoder's tensors: {@code model.} or, in an Idefics3 / SmolVLM checkpoint, {@code model.text_model.}. */
  private final String prefix;
  private final SafetensorsTensors tensors;

  /** Reads {@code dir} with the tensors decoded into heap arrays. */
  public SafetensorsModelLoader(Path dir) throws IOException {
    this(dir, WeightStorage.HEAP.open());
  }

  /** Reads {@code dir} with the tensors in {@code memory}, which the caller owns and closes with the model. */
  public SafetensorsModelLoader(Path dir, WeightMemory memory) throws IOException {
    this.dir = dir;
    Path config = dir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new ModelFormatException(dir + ": config.json is missing (a safetensors model is a directory with "
          + "config.json, tokenizer.json and *.safetensors)");
    }
    JsonNode root = ModelLimits.readJson(config);
    boolean multimodal = root.path("text_config").isObject() && root.path("vision_config").isObject();
    cfg = multimodal ? root.path("text_config") : root;
    prefix = multimodal ? "model.text_model." : "model.";
    tensors = SafetensorsTensors.open(dir, memory);
    if (tensors.isEmpty()) {
      throw new ModelFormatException(dir + ": no *.safetensors file");
    }
  }

  public ModelConfig config() {
    String type = cfg.path("model_type").asText(prefix.equals("model.") ? null : "llama"); // Idefics3's default
    if (type == null && cfg.path("architectures").size() > 0) {
      type = cfg.path("architectures").get(0).asText();
    }
    Architecture arch = Architecture.fromHf(type, dir);
    int dim = integer("hidden_size", null, ModelLimits.MAX_WIDTH);
    int heads = integer("num_attention_heads", null, ModelLimits.MAX_HEADS);
    int headDim = integer("head_dim", Math.max(1, dim / heads), ModelLimits.MAX_WIDTH);
    float[] factors = null;
    float freqScale = 1f;
    JsonNode rs = cfg.path("rope_scaling");
    if (rs.isObject()) {
      String kind = rs.path("rope_type").asText(rs.path("type").asText(""));
      float factor = (float) rs.path("factor").asDouble(1.0);
      switch (kind) {
        case "llama3" -> factors = llama3Factors(headDim, (float) cfg.path("rope_theta").asDouble(10000), factor,
            (float) rs.path("low_freq_factor").asDouble(1), (float) rs.path("high_freq_factor").asDouble(4),
            integer(rs, "rope_scaling.original_max_position_embeddings", "original_max_position_embeddings", 8192,
                ModelLimits.MAX_CONTEXT));
        case "linear" -> freqScale = 1f / factor;
        case "default", "" -> { }
        default -> throw new ModelFormatException(dir + ": rope_scaling '" + kind
            + "' is not supported; supported: linear, llama3");
      }
    }
    try {
      return new ModelConfig(arch, dim, integer("intermediate_size", null, ModelLimits.MAX_WIDTH),
          integer("num_hidden_layers", null, ModelLimits.MAX_LAYERS), heads,
          integer("num_key_value_heads", heads, ModelLimits.MAX_HEADS), headDim,
          integer("vocab_size", null, ModelLimits.MAX_VOCAB),
          integer("max_position_embeddings", 2048, ModelLimits.MAX_CONTEXT),
          (float) cfg.path("rms_norm_eps").asDouble(1e-6),
          (float) cfg.path("rope_theta").asDouble(10000), RopeStyle.NEOX, freqScale, factors);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(dir + "/config.json: " + e.getMessage(), e);
    }
  }

  /** Llama 3.1 frequency-dependent RoPE scaling, expressed as divisors of the base frequencies. */
  static float[] llama3Factors(int headDim, float theta, float factor, float lowFreqFactor, float highFreqFactor,
      int originalContext) {
    float[] f = new float[headDim / 2];
    double lowWavelen = originalContext / lowFreqFactor;
    double highWavelen = originalContext / highFreqFactor;
    for (int i = 0; i < f.length; i++) {
      double freq = Math.pow(theta, -2.0 * i / headDim);
      double wavelen = 2 * Math.PI / freq;
      if (wavelen < highWavelen) {
        f[i] = 1f;
      } else if (wavelen > lowWavelen) {
        f[i] = factor;
      } else {
        double smooth = (originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        f[i] = (float) (1.0 / ((1 - smooth) / factor + smooth));
      }
    }
    return f;
  }

  public ModelWeights weights(ModelConfig c) {
    int dim = c.dim();
    boolean biases = c.architecture() == Architecture.QWEN2;
    LayerWeights[] layers = new LayerWeights[c.layers()];
    for (int l = 0; l < c.layers(); l++) {
      String p = prefix + "layers." + l + ".";
      String a = p + "self_attn.";
      layers[l] = new LayerWeights(vector(p + "input_layernorm.weight", dim),
          matrix(a + "q_proj.weight", c.qDim(), dim), matrix(a + "k_proj.weight", c.kvDim(), dim),
          matrix(a + "v_proj.weight", c.kvDim(), dim),
          biases ? vector(a + "q_proj.bias", c.qDim()) : null, biases ? vector(a + "k_proj.bias", c.kvDim()) : null,
          biases ? vector(a + "v_proj.bias", c.kvDim()) : null,
          matrix(a + "o_proj.weight", dim, c.qDim()), vector(p + "post_attention_layernorm.weight", dim),
          matrix(p + "mlp.gate_proj.weight", c.hiddenDim(), dim), matrix(p + "mlp.up_proj.weight", c.hiddenDim(), dim),
          matrix(p + "mlp.down_proj.weight", dim, c.hiddenDim()));
    }
    FloatTensor emb = matrix(prefix + "embed_tokens.weight", c.vocabSize(), dim);
    FloatTensor out = tensors.contains("lm_head.weight") ? matrix("lm_head.weight", c.vocabSize(), dim) : emb;
    return new ModelWeights(emb, layers, vector(prefix + "norm.weight", dim), out);
  }

  /** config.json's integer {@code key} within {@code 1..max}; {@code fallback} when absent (null: required). */
  private int integer(String key, Integer fallback, long max) {
    return integer(cfg, (prefix.equals("model.") ? "" : "text_config.") + key, key, fallback, max);
  }

  private int integer(JsonNode parent, String label, String key, Integer fallback, long max) {
    return ModelLimits.jsonInt(dir + "/config.json", label, parent.path(key), fallback, 1, max);
  }





  private FloatTensor matrix(String name, int rows, int cols) {
    return tensors.matrix(name, rows, cols);
  }

  private float[] vector(String name, int n) {
    return tensors.vector(name, n);
  }

  @Override
  public void close() throws IOException {
    tensors.close();
  }
}
