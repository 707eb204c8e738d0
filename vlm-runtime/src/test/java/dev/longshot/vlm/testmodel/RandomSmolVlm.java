package dev.longshot.vlm.testmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded random-weight SmolVLM (Idefics3): a tiny Llama decoder ({@link RandomModel}) whose vocabulary has the
 * image tokens, a SigLIP-style vision tower and the pixel-shuffle connector. Written as a Hugging Face directory
 * (config.json with vision_config/text_config, model.safetensors with HF's keys, tokenizer.json,
 * tokenizer_config.json, preprocessor_config.json, processor_config.json) or as llama.cpp's pair (model GGUF +
 * {@code mmproj} GGUF with {@code clip.*} metadata and {@code v.*} tensor names), the same weights in both.
 */
public final class RandomSmolVlm {
  /** The image-related specials, after the Llama control tokens (ids 4..). */
  public static final List<String> SPECIALS = List.of("<fake_token_around_image>", "<image>", "<global-img>",
      "<end_of_utterance>", "<row_1_col_1>", "<row_1_col_2>", "<row_2_col_1>", "<row_2_col_2>");

  /** Vision shapes: width, MLP width, layers, heads, image side, patch side, connector scale factor. */
  public record VisionSpec(int dim, int hidden, int layers, int heads, int imageSize, int patchSize, int scale) {
    public int side() {
      return imageSize / patchSize;
    }

    public int imageSeqLen() {
      int s = side() / scale;
      return s * s;
    }

    /** 32x32 images, 4x4 patches (8x8 grid), scale 2: 16 tokens per image. */
    public static VisionSpec tiny() {
      return new VisionSpec(32, 64, 2, 4, 32, 4, 2);
    }

    /** SmolVLM-256M's vision tower (SigLIP base/16 at 512 px, scale 4). */
    public static VisionSpec smolVlm256m() {
      return new VisionSpec(768, 3072, 12, 12, 512, 16, 4);
    }
  }

  public final RandomModel text;
  public final VisionSpec vision;
  public final long seed;
  /** {@code size.longest_edge} written to preprocessor_config.json. */
  public int longestEdge = 64;
  public boolean split = true;

  public RandomSmolVlm(ModelSpec textSpec, VisionSpec vision, long seed) {
    this.text = new RandomModel(textSpec, seed, SPECIALS);
    this.vision = vision;
    this.seed = seed;
  }

  /** Tiny Llama decoder (dim 64) with the tiny tower. */
  public static RandomSmolVlm tiny(long seed) {
    return new RandomSmolVlm(new ModelSpec("llama", 64, 96, 2, 4, 2, 320, 2048, 10000f, false), VisionSpec.tiny(),
        seed);
  }

  public int imageTokenId() {
    return 4 + SPECIALS.indexOf("<image>");
  }

  /** Vision tensors by HF name: shape (PyTorch order). */
  public Map<String, int[]> visionShapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    int d = vision.dim();
    String v = "model.vision_model.";
    m.put(v + "embeddings.patch_embedding.weight", new int[] {d, 3, vision.patchSize(), vision.patchSize()});
    m.put(v + "embeddings.patch_embedding.bias", new int[] {d});
    m.put(v + "embeddings.position_embedding.weight", new int[] {vision.side() * vision.side(), d});
    for (int l = 0; l < vision.layers(); l++) {
      String p = v + "encoder.layers." + l + ".";
      for (String n : List.of("layer_norm1", "layer_norm2")) {
        m.put(p + n + ".weight", new int[] {d});
        m.put(p + n + ".bias", new int[] {d});
      }
      for (String n : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
        m.put(p + "self_attn." + n + ".weight", new int[] {d, d});
        m.put(p + "self_attn." + n + ".bias", new int[] {d});
      }
      m.put(p + "mlp.fc1.weight", new int[] {vision.hidden(), d});
      m.put(p + "mlp.fc1.bias", new int[] {vision.hidden()});
      m.put(p + "mlp.fc2.weight", new int[] {d, vision.hidden()});
      m.put(p + "mlp.fc2.bias", new int[] {d});
    }
    m.put(v + "post_layernorm.weight", new int[] {d});
    m.put(v + "post_layernorm.bias", new int[] {d});
    m.put("model.connector.modality_projection.proj.weight",
        new int[] {text.spec.dim(), d * vision.scale() * vision.scale()});
    return m;
  }

  /** The values of vision tensor {@code hfName}, PyTorch row-major. */
  public float[] visionValues(String hfName) {
    int[] shape = visionShapes().get(hfName);
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    SplittableRandom r = new SplittableRandom(seed * 17 + hfName.hashCode());
    boolean norm = hfName.contains("norm") && hfName.endsWith(".weight");
    boolean bias = hfName.endsWith(".bias");
    int fanIn = shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape[shape.length - 1];
    float std = norm ? 0.1f : bias ? 0.1f : hfName.contains("position_embedding") ? 0.5f
        : 1f / (float) Math.sqrt(fanIn);
    float a = std * (float) Math.sqrt(3);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((r.nextDouble() * 2 - 1) * a) + (norm ? 1f : 0f);
    }
    return x;
  }

  /** Writes the Hugging Face directory. */
  public void writeHuggingFace(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper om = new ObjectMapper();
    List<String> names = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (var e : text.shapes().entrySet()) {
      String hf = RandomModel.hfName(e.getKey());
      if (hf.startsWith("model.")) {
        hf = "model.text_model." + hf.substring("model.".length());
      }
      int rows = e.getValue()[0];
      int cols = e.getValue()[1];
      names.add(hf);
      shapes.add(rows > 1 ? new long[] {rows, cols} : new long[] {cols});
      values.add(text.toHfOrder(e.getKey(), text.values(e.getKey(), rows, cols), cols));
    }
    for (var e : visionShapes().entrySet()) {
      names.add(e.getKey());
      shapes.add(java.util.Arrays.stream(e.getValue()).asLongStream().toArray());
      values.add(visionValues(e.getKey()));
    }
    writeSafetensors(om, dir.resolve("model.safetensors"), names, shapes, values);
    ObjectNode c = om.createObjectNode();
    c.putArray("architectures").add("Idefics3ForConditionalGeneration");
    c.put("model_type", "idefics3").put("image_token_id", imageTokenId()).put("scale_factor", vision.scale())
        .put("tie_word_embeddings", false);
    ModelSpec s = text.spec;
    c.putObject("text_config").put("model_type", "llama").put("hidden_size", s.dim())
        .put("intermediate_size", s.hidden()).put("num_hidden_layers", s.layers())
        .put("num_attention_heads", s.heads()).put("num_key_value_heads", s.kvHeads()).put("vocab_size", s.vocab())
        .put("max_position_embeddings", s.context()).put("rms_norm_eps", 1e-5).put("rope_theta", s.ropeTheta());
    c.putObject("vision_config").put("model_type", "idefics3_vision").put("hidden_size", vision.dim())
        .put("intermediate_size", vision.hidden()).put("num_hidden_layers", vision.layers())
        .put("num_attention_heads", vision.heads()).put("image_size", vision.imageSize())
        .put("patch_size", vision.patchSize()).put("num_channels", 3).put("hidden_act", "gelu_pytorch_tanh")
        .put("layer_norm_eps", 1e-6);
    om.writeValue(dir.resolve("config.json").toFile(), c);
    text.writeTokenizer(om, dir);
    ObjectNode tc = (ObjectNode) om.readTree(dir.resolve("tokenizer_config.json").toFile());
    tc.put("chat_template", "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}: "
        + "{{ message['content'] }}<end_of_utterance>\n{% endfor %}Assistant:");
    om.writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
    ObjectNode pre = om.createObjectNode();
    pre.put("image_processor_type", "Idefics3ImageProcessor").put("do_convert_rgb", true).put("do_resize", true)
        .put("resample", 1).put("do_rescale", true).put("rescale_factor", 1 / 255.0).put("do_normalize", true)
        .put("do_pad", true).put("do_image_splitting", split);
    pre.putArray("image_mean").add(0.5).add(0.5).add(0.5);
    pre.putArray("image_std").add(0.5).add(0.5).add(0.5);
    pre.putObject("size").put("longest_edge", longestEdge);
    pre.putObject("max_image_size").put("longest_edge", vision.imageSize());
    om.writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);
    om.writeValue(dir.resolve("processor_config.json").toFile(),
        om.createObjectNode().put("image_seq_len", vision.imageSeqLen()).put("processor_class", "Idefics3Processor"));
  }

  private static void writeSafetensors(ObjectMapper om, Path file, List<String> names, List<long[]> shapes,
      List<float[]> values) throws IOException {
    ObjectNode header = om.createObjectNode();
    long offset = 0;
    for (int i = 0; i < names.size(); i++) {
      ObjectNode t = header.putObject(names.get(i));
      t.put("dtype", "F32");
      ArrayNode shape = t.putArray("shape");
      for (long d : shapes.get(i)) {
        shape.add(d);
      }
      long bytes = values.get(i).length * 4L;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = om.writeValueAsBytes(header);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
      os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      os.write(json);
      for (float[] v : values) {
        os.write(TensorEncoding.f32(v));
      }
    }
  }

  /** Writes {@code model.gguf} and {@code mmproj-model.gguf} into {@code dir} (F32 tensors). */
  public void writeGgufPair(Path dir) throws IOException {
    Files.createDirectories(dir);
    text.writeGguf(dir.resolve("model.gguf"), TensorEncoding.F32);
    GgufWriter w = new GgufWriter();
    w.put("general.architecture", "clip").put("general.name", "longshot-random-smolvlm-mmproj")
        .put("general.alignment", 32).put("clip.projector_type", "idefics3").put("clip.has_vision_encoder", true)
        .put("clip.use_gelu", true).put("clip.vision.image_size", vision.imageSize())
        .put("clip.vision.patch_size", vision.patchSize()).put("clip.vision.embedding_length", vision.dim())
        .put("clip.vision.feed_forward_length", vision.hidden()).put("clip.vision.block_count", vision.layers())
        .put("clip.vision.attention.head_count", vision.heads())
        .put("clip.vision.attention.layer_norm_epsilon", 1e-6f)
        .put("clip.vision.projection_dim", text.spec.dim())
        .put("clip.vision.projector.scale_factor", vision.scale())
        .put("clip.vision.image_mean", new float[] {0.5f, 0.5f, 0.5f})
        .put("clip.vision.image_std", new float[] {0.5f, 0.5f, 0.5f});
    for (var e : visionShapes().entrySet()) {
      int[] s = e.getValue();
      long[] dims = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        dims[i] = s[s.length - 1 - i];
      }
      float[] v = visionValues(e.getKey());
      w.tensor(ggufName(e.getKey()), dims, TensorEncoding.F32, TensorEncoding.f32(v));
    }
    w.write(dir.resolve("mmproj-model.gguf"));
  }

  /** llama.cpp's clip tensor name for an HF vision / connector key. */
  static String ggufName(String hf) {
    if (hf.equals("model.connector.modality_projection.proj.weight")) {
      return "mm.model.fc.weight";
    }
    String s = hf.replace("model.vision_model.", "");
    s = s.replace("embeddings.patch_embedding", "v.patch_embd").replace("embeddings.position_embedding", "v.position_embd")
        .replace("post_layernorm", "v.post_ln").replace("encoder.layers.", "v.blk.").replace("layer_norm1", "ln1")
        .replace("layer_norm2", "ln2").replace("self_attn.q_proj", "attn_q").replace("self_attn.k_proj", "attn_k")
        .replace("self_attn.v_proj", "attn_v").replace("self_attn.out_proj", "attn_out")
        .replace("mlp.fc1", "ffn_up").replace("mlp.fc2", "ffn_down");
    return s;
  }
}
