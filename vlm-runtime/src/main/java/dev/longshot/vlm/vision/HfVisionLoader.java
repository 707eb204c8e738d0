package dev.longshot.vlm.vision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.model.SafetensorsTensors;
import dev.longshot.vlm.tensor.WeightMemory;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the vision tower and connector of a Hugging Face Idefics3 / SmolVLM checkpoint: {@code vision_config} and
 * {@code scale_factor} from config.json, tensors {@code model.vision_model.*} and
 * {@code model.connector.modality_projection.proj.weight} from the safetensors files, every shape checked.
 */
public final class HfVisionLoader implements AutoCloseable {
  private static final String V = "model.vision_model.";
  private final Path dir;
  private final SafetensorsTensors tensors;

  /** Reads {@code dir} with the tensors decoded into heap arrays. */
  public HfVisionLoader(Path dir) throws IOException {
    this(dir, WeightStorage.HEAP.open());
  }

  /** Reads {@code dir} with the tensors in {@code memory}, which the caller owns and closes with the model. */
  public HfVisionLoader(Path dir, WeightMemory memory) throws IOException {
    this.dir = dir;
    this.tensors = SafetensorsTensors.open(dir, memory);
  }

  /** The vision config from config.json's root, for a decoder of width {@code textDim}. */
  public VisionConfig config(JsonNode root, int textDim) {
    JsonNode v = root.path("vision_config");
    if (!v.isObject()) {
      throw new ModelFormatException(dir + "/config.json: 'vision_config' is missing (not a vision-language model)");
    }
    try {
      return new VisionConfig(required(v, "hidden_size", ModelLimits.MAX_WIDTH),
          required(v, "intermediate_size", ModelLimits.MAX_WIDTH),
          required(v, "num_hidden_layers", ModelLimits.MAX_LAYERS),
          required(v, "num_attention_heads", ModelLimits.MAX_HEADS),
          required(v, "image_size", ModelLimits.MAX_IMAGE_SIDE), required(v, "patch_size", ModelLimits.MAX_IMAGE_SIDE),
          (float) ModelLimits.jsonDouble(dir + "/config.json", "vision_config.layer_norm_eps",
              v.path("layer_norm_eps"), 1e-6, Float.MIN_NORMAL, 1),
          VisionActivation.fromHf(v.path("hidden_act").asText("gelu_pytorch_tanh")),
          root.has("scale_factor") ? integer(root.path("scale_factor"), "scale_factor", ModelLimits.MAX_IMAGE_SIDE) : 2,
          textDim);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(dir + "/config.json: " + e.getMessage(), e);
    }
  }

  private int required(JsonNode v, String key, long max) {
    return integer(v.path(key), "vision_config." + key, max);
  }

  /** An integer within {@code 1..max}, checked before it sizes anything (issue 12, point 7). */
  private int integer(JsonNode n, String label, long max) {
    return ModelLimits.jsonInt(dir + "/config.json", label, n, null, 1, max);
  }

  public VisionWeights weights(VisionConfig c) {
    int d = c.dim();
    long[] pw = tensors.shape(V + "embeddings.patch_embedding.weight");
    long[] expect = {d, 3, c.patchSize(), c.patchSize()};
    if (!Arrays.equals(pw, expect)) {
      throw new ModelFormatException(dir + ": tensor '" + V + "embeddings.patch_embedding.weight' has shape "
          + Arrays.toString(pw) + ", expected " + Arrays.toString(expect));
    }
    FloatTensor patch = tensors.tensor(V + "embeddings.patch_embedding.weight");
    int positions = c.patchesPerSide() * c.patchesPerSide();
    VisionWeights.Layer[] layers = new VisionWeights.Layer[c.layers()];
    for (int l = 0; l < layers.length; l++) {
      String p = V + "encoder.layers." + l + ".";
      String a = p + "self_attn.";
      layers[l] = new VisionWeights.Layer(vector(p + "layer_norm1.weight", d), vector(p + "layer_norm1.bias", d),
          matrix(a + "q_proj.weight", d, d), vector(a + "q_proj.bias", d), matrix(a + "k_proj.weight", d, d),
          vector(a + "k_proj.bias", d), matrix(a + "v_proj.weight", d, d), vector(a + "v_proj.bias", d),
          matrix(a + "out_proj.weight", d, d), vector(a + "out_proj.bias", d), vector(p + "layer_norm2.weight", d),
          vector(p + "layer_norm2.bias", d), matrix(p + "mlp.fc1.weight", c.hiddenDim(), d),
          vector(p + "mlp.fc1.bias", c.hiddenDim()), matrix(p + "mlp.fc2.weight", d, c.hiddenDim()),
          vector(p + "mlp.fc2.bias", d));
    }
    String proj = "model.connector.modality_projection.proj.weight";
    long[] ps = tensors.shape(proj);
    if (ps.length != 2 || ps[0] != c.textDim() || ps[1] != c.connectorInputDim()) {
      throw new ModelFormatException(dir + ": the connector does not match the vision config and the decoder: '"
          + proj + "' has shape " + Arrays.toString(ps) + ", but the decoder's hidden_size is " + c.textDim()
          + " and vision hidden_size " + d + " x scale_factor^2 " + c.scaleFactor() * c.scaleFactor() + " = "
          + c.connectorInputDim());
    }
    return new VisionWeights(patch, vector(V + "embeddings.patch_embedding.bias", d),
        matrix(V + "embeddings.position_embedding.weight", positions, d), layers, vector(V + "post_layernorm.weight", d),
        vector(V + "post_layernorm.bias", d), tensors.tensor(proj));
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
