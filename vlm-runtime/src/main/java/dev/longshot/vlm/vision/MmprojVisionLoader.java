package dev.longshot.vlm.vision;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.model.GgufTensors;
import dev.longshot.vlm.tensor.FloatTensor;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads the vision tower and connector from llama.cpp's {@code mmproj} GGUF for Idefics3 / SmolVLM
 * ({@code clip.projector_type = idefics3}): hyper-parameters from {@code clip.vision.*}, tensors {@code v.patch_embd},
 * {@code v.position_embd}, {@code v.blk.N.{ln1,attn_q,attn_k,attn_v,attn_out,ln2,ffn_up,ffn_down}},
 * {@code v.post_ln} and the projection {@code mm.model.fc.weight}. ggml lists dimensions innermost first, so the
 * patch embedding {@code [P, P, 3, D]} holds the same bytes as PyTorch's {@code [D, 3, P, P]}.
 */
public final class MmprojVisionLoader {
  private final GgufFile file;
  private final GgufTensors tensors;
  private final Map<String, Object> meta;

  public MmprojVisionLoader(GgufFile file) {
    this.file = file;
    this.tensors = new GgufTensors(file);
    this.meta = file.metadata();
    Object type = meta.get("clip.projector_type");
    if (!"idefics3".equals(type)) {
      throw new ModelFormatException(file.path() + ": clip.projector_type is " + type + "; only idefics3 "
          + "(SmolVLM / SmolVLM2) is supported");
    }
  }

  /** The vision config, for a decoder of width {@code textDim}. */
  public VisionConfig config(int textDim) {
    VisionActivation act = Boolean.TRUE.equals(meta.get("clip.use_silu"))
        ? failActivation("silu") : VisionActivation.GELU_TANH;
    try {
      return new VisionConfig(intKey("clip.vision.embedding_length", ModelLimits.MAX_WIDTH),
          intKey("clip.vision.feed_forward_length", ModelLimits.MAX_WIDTH),
          intKey("clip.vision.block_count", ModelLimits.MAX_LAYERS),
          intKey("clip.vision.attention.head_count", ModelLimits.MAX_HEADS),
          intKey("clip.vision.image_size", ModelLimits.MAX_IMAGE_SIDE),
          intKey("clip.vision.patch_size", ModelLimits.MAX_IMAGE_SIDE),
          meta.get("clip.vision.attention.layer_norm_epsilon") instanceof Number n ? n.floatValue() : 1e-6f, act,
          intKey("clip.vision.projector.scale_factor", ModelLimits.MAX_IMAGE_SIDE), textDim);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file.path() + ": " + e.getMessage(), e);
    }
  }

  private VisionActivation failActivation(String name) {
    throw new ModelFormatException(file.path() + ": vision activation " + name + " is not supported for idefics3");
  }

  /**
   * {@code clip.vision.image_mean} or {@code image_std} (three finite numbers; a std must be positive), or
   * {@code fallback} when absent; anything else fails naming the file, the key and the value.
   */
  public float[] floats3(String key, float[] fallback) {
    Object v = meta.get(key);
    if (v == null) {
      return fallback;
    }
    boolean std = key.endsWith("std");
    if (!(v instanceof float[] a) || a.length != 3 || !IntStream.range(0, 3).allMatch(i -> Float.isFinite(a[i])
        && (!std || a[i] > 0))) {
      String shown = switch (v) {
        case float[] f -> Arrays.toString(f);
        case int[] i -> Arrays.toString(i);
        case Object[] o -> Arrays.toString(o);
        default -> String.valueOf(v);
      };
      throw new ModelFormatException(file.path() + ": metadata '" + key + "' is " + shown + "; expected 3 finite "
          + "float32 numbers" + (std ? ", each above 0" : ""));
    }
    return a.clone();
  }

  public VisionWeights weights(VisionConfig c) {
    int d = c.dim();
    int p = c.patchSize();
    long[] pd = tensors.dims("v.patch_embd.weight");
    long[] expect = {p, p, 3, d};
    if (!Arrays.equals(pd, expect)) {
      throw new ModelFormatException(file.path() + ": tensor 'v.patch_embd.weight' has shape " + Arrays.toString(pd)
          + ", expected " + Arrays.toString(expect));
    }
    VisionWeights.Layer[] layers = new VisionWeights.Layer[c.layers()];
    for (int l = 0; l < layers.length; l++) {
      String b = "v.blk." + l + ".";
      layers[l] = new VisionWeights.Layer(vector(b + "ln1.weight", d), vector(b + "ln1.bias", d),
          matrix(b + "attn_q.weight", d, d), vector(b + "attn_q.bias", d), matrix(b + "attn_k.weight", d, d),
          vector(b + "attn_k.bias", d), matrix(b + "attn_v.weight", d, d), vector(b + "attn_v.bias", d),
          matrix(b + "attn_out.weight", d, d), vector(b + "attn_out.bias", d), vector(b + "ln2.weight", d),
          vector(b + "ln2.bias", d), matrix(b + "ffn_up.weight", c.hiddenDim(), d),
          vector(b + "ffn_up.bias", c.hiddenDim()), matrix(b + "ffn_down.weight", d, c.hiddenDim()),
          vector(b + "ffn_down.bias", d));
    }
    long[] fc = tensors.dims("mm.model.fc.weight");
    if (fc.length != 2 || fc[0] != c.connectorInputDim() || fc[1] != c.textDim()) {
      throw new ModelFormatException(file.path() + ": the connector does not match the vision config and the "
          + "decoder: 'mm.model.fc.weight' has shape " + Arrays.toString(fc) + ", but the decoder's width is "
          + c.textDim() + " and vision width " + d + " x scale_factor^2 " + c.scaleFactor() * c.scaleFactor() + " = "
          + c.connectorInputDim());
    }
    int positions = c.patchesPerSide() * c.patchesPerSide();
    return new VisionWeights(tensors.tensor("v.patch_embd.weight"), vector("v.patch_embd.bias", d),
        matrix("v.position_embd.weight", positions, d), layers, vector("v.post_ln.weight", d),
        vector("v.post_ln.bias", d), tensors.tensor("mm.model.fc.weight"));
  }

  /** Integer metadata within {@code 1..max} (checked before it sizes anything); a float or string is named. */
  private int intKey(String key, long max) {
    Object v = meta.get(key);
    if (v instanceof Integer || v instanceof Long) {
      return ModelLimits.positive(file.path(), "metadata '" + key + "'", ((Number) v).longValue(), max);
    }
    if (v != null) {
      throw new ModelFormatException(file.path() + ": metadata '" + key + "' is " + v + "; expected an integer");
    }
    throw new ModelFormatException(file.path() + ": metadata '" + key + "' is missing");
  }




  private FloatTensor matrix(String name, int rows, int cols) {
    return tensors.matrix(name, rows, cols);
  }

  private float[] vector(String name, int n) {
    return tensors.vector(name, n);
  }
}
