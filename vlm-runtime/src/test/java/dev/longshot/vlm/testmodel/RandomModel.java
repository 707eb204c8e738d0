package dev.longshot.vlm.testmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.vlm.tensor.GgmlType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded random-weight decoder of a {@link ModelSpec}, written as GGUF (any supported tensor type) or as a Hugging
 * Face directory (F32 safetensors, config.json, tokenizer.json) with the same weights. Weights are regenerated per
 * tensor from {@code seed} and the tensor name, so nothing large is held in memory. Output rows of tokens that do not
 * print as ASCII are scaled down so greedy continuations stay readable text.
 */
public final class RandomModel {
  static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  public final ModelSpec spec;
  public final TestVocab vocab;
  public final long seed;

  public RandomModel(ModelSpec spec, long seed) {
    this(spec, seed, List.of());
  }

  /** A model whose vocabulary has {@code extraSpecials} after the family's control tokens. */
  public RandomModel(ModelSpec spec, long seed, List<String> extraSpecials) {
    this.spec = spec;
    this.seed = seed;
    this.vocab = new TestVocab(spec.arch(), spec.vocab(), extraSpecials);
  }

  private boolean qwen() {
    return spec.arch().equals("qwen2");
  }

  /** Tensor names (GGUF naming) to {rows, cols}; vectors have rows = 1. */
  Map<String, int[]> shapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    int d = spec.dim();
    int q = spec.heads() * spec.headDim();
    int kv = spec.kvHeads() * spec.headDim();
    m.put("token_embd.weight", new int[] {spec.vocab(), d});
    for (int l = 0; l < spec.layers(); l++) {
      String p = "blk." + l + ".";
      m.put(p + "attn_norm.weight", new int[] {1, d});
      m.put(p + "attn_q.weight", new int[] {q, d});
      m.put(p + "attn_k.weight", new int[] {kv, d});
      m.put(p + "attn_v.weight", new int[] {kv, d});
      if (qwen()) {
        m.put(p + "attn_q.bias", new int[] {1, q});
        m.put(p + "attn_k.bias", new int[] {1, kv});
        m.put(p + "attn_v.bias", new int[] {1, kv});
      }
      m.put(p + "attn_output.weight", new int[] {d, q});
      m.put(p + "ffn_norm.weight", new int[] {1, d});
      m.put(p + "ffn_gate.weight", new int[] {spec.hidden(), d});
      m.put(p + "ffn_up.weight", new int[] {spec.hidden(), d});
      m.put(p + "ffn_down.weight", new int[] {d, spec.hidden()});
    }
    m.put("output_norm.weight", new int[] {1, d});
    if (!spec.tied()) {
      m.put("output.weight", new int[] {spec.vocab(), d});
    }
    return m;
  }

  /** The values of tensor {@code name} in GGUF row order. */
  public float[] values(String name, int rows, int cols) {
    SplittableRandom r = new SplittableRandom(seed * 31 + name.hashCode());
    int n = rows * cols;
    float[] x = new float[n];
    boolean norm = name.endsWith("norm.weight");
    boolean bias = name.endsWith(".bias");
    boolean vocabRows = name.equals("output.weight") || (name.equals("token_embd.weight") && spec.tied());
    float std = norm ? 0.1f : bias ? 0.2f : vocabRows || name.equals("token_embd.weight")
        ? 3f / (float) Math.sqrt(cols) : 1f / (float) Math.sqrt(cols);
    float a = std * (float) Math.sqrt(3);
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((r.nextDouble() * 2 - 1) * a) + (norm ? 1f : 0f);
    }
    if (vocabRows) {
      for (int row = 0; row < rows; row++) {
        if (!vocab.printable[row]) {
          for (int c = 0; c < cols; c++) {
            x[row * cols + c] *= 0.02f;
          }
        }
      }
    }
    return x;
  }

  /** Writes a GGUF file whose matrices are in ggml type {@code type} (norms and biases stay F32). */
  public void writeGguf(Path path, int type) throws IOException {
    writeGguf(path, name -> type);
  }

  /**
   * Writes a GGUF file whose matrix {@code name} is in ggml type {@code matrixType.applyAsInt(name)} (norms and biases
   * stay F32): mixed files like llama.cpp's Q4_K_M.
   */
  public void writeGguf(Path path, java.util.function.ToIntFunction<String> matrixType) throws IOException {
    GgufWriter w = new GgufWriter();
    String a = spec.arch();
    w.put("general.architecture", a).put("general.name", "longshot-random-" + a).put("general.alignment", 32);
    w.put(a + ".context_length", spec.context()).put(a + ".embedding_length", spec.dim())
        .put(a + ".block_count", spec.layers()).put(a + ".feed_forward_length", spec.hidden())
        .put(a + ".attention.head_count", spec.heads()).put(a + ".attention.head_count_kv", spec.kvHeads())
        .put(a + ".rope.freq_base", spec.ropeTheta()).put(a + ".rope.dimension_count", spec.headDim())
        .put(a + ".attention.layer_norm_rms_epsilon", 1e-5f);
    w.put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", qwen() ? "qwen2" : "llama-bpe")
        .put("tokenizer.ggml.tokens", vocab.tokens).put("tokenizer.ggml.token_type", vocab.types)
        .put("tokenizer.ggml.merges", vocab.merges).put("tokenizer.ggml.bos_token_id", vocab.bos)
        .put("tokenizer.ggml.eos_token_id", vocab.eos).put("tokenizer.ggml.add_bos_token", vocab.addBos);
    for (var e : shapes().entrySet()) {
      int rows = e.getValue()[0];
      int cols = e.getValue()[1];
      boolean matrix = rows > 1;
      int t = matrix ? matrixType.applyAsInt(e.getKey()) : TensorEncoding.F32;
      long[] dims = matrix ? new long[] {cols, rows} : new long[] {cols};
      long bytes = GgmlType.ofId(t).byteSize((long) rows * cols);
      w.tensor(e.getKey(), dims, t, bytes, () -> TensorEncoding.encode(values(e.getKey(), rows, cols), t));
    }
    w.write(path);
  }

  /**
   * The tensor types of a llama.cpp Q4_K_M file of this model's shape: Q4_K for most matrices, Q6_K for the output
   * and for every other layer's {@code attn_v} and {@code ffn_down}; a matrix whose rows are not a multiple of 256
   * falls back as llama.cpp's quantiser does (Q4_K to Q5_0, Q6_K to Q8_0).
   */
  public java.util.function.ToIntFunction<String> q4KmTypes() {
    var four = kQuantTypes(BlockPacker.Q4_K);
    var six = kQuantTypes(BlockPacker.Q6_K);
    return name -> name.equals("output.weight")
        || (name.startsWith("blk.0.") && (name.endsWith("attn_v.weight") || name.endsWith("ffn_down.weight")))
        ? six.applyAsInt(name) : four.applyAsInt(name);
  }

  /**
   * Every matrix in the K-quant {@code type} where its rows fill 256-element blocks, else in the 32-element type
   * llama.cpp's quantiser falls back to (Q4_K: Q5_0, Q5_K: Q5_1, Q6_K: Q8_0).
   */
  public java.util.function.ToIntFunction<String> kQuantTypes(int type) {
    int fallback = switch (type) {
      case BlockPacker.Q4_K -> BlockPacker.Q5_0;
      case BlockPacker.Q5_K -> BlockPacker.Q5_1;
      case BlockPacker.Q6_K -> TensorEncoding.Q8_0;
      default -> throw new IllegalArgumentException("not a K-quant: " + type);
    };
    Map<String, int[]> shapes = shapes();
    return name -> shapes.get(name)[1] % 256 == 0 ? type : fallback;
  }

  /** Writes a Hugging Face directory (F32 safetensors + config.json + tokenizer files) with the same weights. */
  public void writeHuggingFace(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper om = new ObjectMapper();
    Map<String, int[]> shapes = shapes();
    ObjectNode header = om.createObjectNode();
    long offset = 0;
    Map<String, String> hfNames = new LinkedHashMap<>();
    for (var e : shapes.entrySet()) {
      String hf = hfName(e.getKey());
      hfNames.put(e.getKey(), hf);
      int rows = e.getValue()[0];
      int cols = e.getValue()[1];
      ObjectNode t = header.putObject(hf);
      t.put("dtype", "F32");
      ArrayNode shape = t.putArray("shape");
      if (rows > 1) {
        shape.add(rows);
      }
      shape.add(cols);
      long bytes = (long) rows * cols * 4;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = om.writeValueAsBytes(header);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(dir.resolve("model.safetensors")))) {
      os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      os.write(json);
      for (var e : shapes.entrySet()) {
        float[] v = values(e.getKey(), e.getValue()[0], e.getValue()[1]);
        os.write(TensorEncoding.f32(toHfOrder(e.getKey(), v, e.getValue()[1])));
      }
    }
    writeConfig(om, dir);
    writeTokenizer(om, dir);
  }

  /** Undoes llama.cpp's Q/K row permutation for Llama: HF row (h, s, i) is GGUF row (h, i, s). */
  float[] toHfOrder(String name, float[] v, int cols) {
    boolean q = name.endsWith("attn_q.weight");
    boolean k = name.endsWith("attn_k.weight");
    if (qwen() || !(q || k)) {
      return v;
    }
    int heads = q ? spec.heads() : spec.kvHeads();
    int hd = spec.headDim();
    float[] out = new float[v.length];
    for (int h = 0; h < heads; h++) {
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < hd / 2; i++) {
          int hfRow = h * hd + s * hd / 2 + i;
          int ggRow = h * hd + 2 * i + s;
          System.arraycopy(v, ggRow * cols, out, hfRow * cols, cols);
        }
      }
    }
    return out;
  }

  static String hfName(String gguf) {
    if (gguf.equals("token_embd.weight")) {
      return "model.embed_tokens.weight";
    }
    if (gguf.equals("output_norm.weight")) {
      return "model.norm.weight";
    }
    if (gguf.equals("output.weight")) {
      return "lm_head.weight";
    }
    String[] p = gguf.split("\\.", 3);
    String rest = switch (p[2]) {
      case "attn_norm.weight" -> "input_layernorm.weight";
      case "ffn_norm.weight" -> "post_attention_layernorm.weight";
      case "attn_output.weight" -> "self_attn.o_proj.weight";
      case "ffn_gate.weight" -> "mlp.gate_proj.weight";
      case "ffn_up.weight" -> "mlp.up_proj.weight";
      case "ffn_down.weight" -> "mlp.down_proj.weight";
      default -> "self_attn." + p[2].replace("attn_", "").replace(".", "_proj.");
    };
    return "model.layers." + p[1] + "." + rest;
  }

  private void writeConfig(ObjectMapper om, Path dir) throws IOException {
    ObjectNode c = om.createObjectNode();
    c.put("model_type", spec.arch()).put("hidden_size", spec.dim()).put("intermediate_size", spec.hidden())
        .put("num_hidden_layers", spec.layers()).put("num_attention_heads", spec.heads())
        .put("num_key_value_heads", spec.kvHeads()).put("vocab_size", spec.vocab())
        .put("max_position_embeddings", spec.context()).put("rms_norm_eps", 1e-5)
        .put("rope_theta", spec.ropeTheta()).put("tie_word_embeddings", spec.tied());
    om.writeValue(dir.resolve("config.json").toFile(), c);
  }

  void writeTokenizer(ObjectMapper om, Path dir) throws IOException {
    ObjectNode root = om.createObjectNode();
    root.put("version", "1.0");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode vocabJson = om.createObjectNode();
    for (int i = 0; i < vocab.tokens.length; i++) {
      if (vocab.types[i] == 3) {
        added.addObject().put("id", i).put("content", vocab.tokens[i]).put("special", true);
      } else {
        vocabJson.put(vocab.tokens[i], i);
      }
    }
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode pres = pre.putArray("pretokenizers");
    ObjectNode split = pres.addObject();
    split.put("type", "Split").putObject("pattern").put("Regex", qwen() ? QWEN2_REGEX : LLAMA3_REGEX);
    split.put("behavior", "Isolated").put("invert", false);
    pres.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", false);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.set("vocab", vocabJson);
    ArrayNode merges = model.putArray("merges");
    for (String m : vocab.merges) {
      merges.add(m);
    }
    Files.writeString(dir.resolve("tokenizer.json"), om.writeValueAsString(root), StandardCharsets.UTF_8);
    ObjectNode tc = om.createObjectNode();
    tc.put("bos_token", vocab.tokens[vocab.bos]).put("eos_token", vocab.tokens[vocab.eos])
        .put("add_bos_token", vocab.addBos);
    om.writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
  }
}
