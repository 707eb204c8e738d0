package dev.longshot.embeddings.m2bert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Random;
import java.util.function.Predicate;

/**
 * A random-weight M2-BERT checkpoint in the real layout (model.safetensors with the released key names under
 * {@code bert.}, config.json with the released keys, vocab.txt), small enough for unit tests. The tensors are kept
 * so a test can run its own reference forward on them. Shared with the app's CLI test (test-jar).
 */
public final class TinyM2Bert {
  /** The tiny vocabulary; ids are line numbers. */
  public static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat",
      "on", "mat", "dog", "##s", "run", "a", "big", "red");
  public final int hidden;
  public final int inter;
  public final int layers;
  public final int len;
  public final int vocab;
  public final int order;
  public final int emb = 5;
  public final int nblocks;
  /** Shapes and values by name (without the {@code bert.} prefix the file carries). */
  public final Map<String, long[]> shapes = new LinkedHashMap<>();
  public final Map<String, float[]> tensors = new LinkedHashMap<>();
  private final Random rnd;

  public TinyM2Bert(long seed, int hidden, int inter, int layers, int len, int order, int nblocks) {
    this.hidden = hidden;
    this.inter = inter;
    this.layers = layers;
    this.len = len;
    this.vocab = 24; // 16 words padded to a multiple of 8, as the release pads 30522 to 30528
    this.order = order;
    this.nblocks = nblocks;
    this.rnd = new Random(seed);
    int h = hidden;
    putRandom("embeddings.word_embeddings.weight", 0.5, vocab, h);
    putRandom("embeddings.token_type_embeddings.weight", 0.5, 2, h);
    putRandom("embeddings.position_embeddings.weight", 0.5, len, h);
    putAroundOne("embeddings.LayerNorm.weight", h);
    putRandom("embeddings.LayerNorm.bias", 0.1, h);
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      putRandom(p + "attention.in_linear.weight", 1 / Math.sqrt(h), 3 * h, h);
      putRandom(p + "attention.in_linear.bias", 0.1, 3 * h);
      putRandom(p + "attention.out_linear.weight", 1 / Math.sqrt(h), h, h);
      putRandom(p + "attention.out_linear.bias", 0.1, h);
      putRandom(p + "attention.short_filter.weight", 0.5, 3 * h, 1, 3);
      putRandom(p + "attention.short_filter.bias", 0.1, 3 * h);
      for (String f : new String[] {"filter_fn", "filter_fn2"}) {
        String q = p + "attention." + f + ".";
        putRandom(q + "bias", 0.5, h);
        float[] z = new float[len * emb];
        float[] t = new float[len];
        for (int j = 0; j < len; j++) {
          t[j] = len == 1 ? 0 : (float) j / (len - 1);
          for (int e = 0; e < emb; e++) {
            z[j * emb + e] = (float) (rnd.nextDouble() * 2 - 1);
          }
        }
        put(q + "pos_emb.z", z, 1, len, emb);
        put(q + "pos_emb.t", t, 1, len, 1);
        float[] deltas = new float[h];
        for (int c = 0; c < h; c++) {
          double lo = Math.log(1e-2) / 1.5;
          double hi = Math.log(1e-2) / 0.3;
          deltas[c] = (float) (lo + (hi - lo) * c / Math.max(1, h - 1));
        }
        put(q + "modulation.deltas", deltas, 1, 1, h);
        for (String m : new String[] {"implicit_filter", "implicit_filter_rev"}) {
          putRandom(q + m + ".0.weight", 0.7, order, emb);
          putRandom(q + m + ".0.bias", 0.3, order);
          putRandom(q + m + ".2.weight", 1 / Math.sqrt(order), order, order);
          putRandom(q + m + ".2.bias", 0.3, order);
          putRandom(q + m + ".4.weight", 1 / Math.sqrt(order), order, order);
          putRandom(q + m + ".4.bias", 0.3, order);
          putRandom(q + m + ".6.weight", 0.5, h, order);
        }
        float[] freq = new float[order];
        for (int j = 0; j < order; j++) {
          freq[j] = (float) (1 + 3 * rnd.nextDouble());
        }
        // the six Sin slots share one tensor; a converter keeps some of the names (here two)
        put(q + "implicit_filter.1.freq", freq, 1, order);
        put(q + "implicit_filter_rev.3.freq", freq.clone(), 1, order);
      }
      putRandom(p + "mlp.gated_layers.weight", 1 / Math.sqrt(h / nblocks), nblocks, 2 * inter / nblocks, h / nblocks);
      putRandom(p + "mlp.wo.weight", 1 / Math.sqrt(inter / nblocks), nblocks, h / nblocks, inter / nblocks);
      putRandom(p + "mlp.wo.bias", 0.1, h);
      putAroundOne(p + "mlp.layernorm.weight", h);
      putRandom(p + "mlp.layernorm.bias", 0.1, h);
    }
    putRandom("pooler.dense.weight", 1 / Math.sqrt(h), h, h);
    putRandom("pooler.dense.bias", 0.1, h);
  }

  private void put(String name, float[] values, long... shape) {
    shapes.put(name, shape);
    tensors.put(name, values);
  }

  /** Gaussian values with standard deviation {@code scale}. */
  private void putRandom(String name, double scale, long... shape) {
    put(name, fill(count(shape), scale, 0), shape);
  }

  /** LayerNorm gains: 1 plus small Gaussian noise. */
  private void putAroundOne(String name, long... shape) {
    put(name, fill(count(shape), 0.1, 1), shape);
  }

  private static int count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  private float[] fill(int n, double scale, double mean) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (mean + scale * rnd.nextGaussian());
    }
    return v;
  }

  /** Writes the checkpoint to {@code dir}; tensors whose name matches {@code drop} are left out. */
  public Path write(Path dir, Predicate<String> drop, Map<String, long[]> shapeOverrides) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode cfg = json.createObjectNode();
    cfg.putArray("architectures").add("BertForSequenceClassification");
    cfg.put("model_type", "m2_bert").put("bidirectional", true).put("hidden_size", hidden)
        .put("intermediate_size", inter).put("num_hidden_layers", layers).put("max_position_embeddings", len)
        .put("long_conv_l_max", len).put("vocab_size", vocab).put("type_vocab_size", 2)
        .put("hyena_filter_order", order).put("hyena_emb_dim", emb).put("hyena_w", 10).put("hyena_w_mod", 1)
        .put("monarch_mlp_nblocks", nblocks).put("layer_norm_eps", 1e-12).put("pool_all", false)
        .put("residual_long_conv", true).put("use_glu_mlp", true).put("use_monarch_mlp", true)
        .put("use_positional_encodings", true).put("hyena_training_additions", false).put("pad_token_id", 0)
        .put("hidden_act", "gelu").put("num_attention_heads", 12);
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
    Files.write(dir.resolve("vocab.txt"), VOCAB, StandardCharsets.UTF_8);
    ObjectNode header = json.createObjectNode();
    long offset = 0;
    List<String> names = tensors.keySet().stream().filter(drop.negate()).toList();
    for (String n : names) {
      long[] shape = shapeOverrides.getOrDefault(n, shapes.get(n));
      ObjectNode e = header.putObject("bert." + n).put("dtype", "F32");
      var s = e.putArray("shape");
      for (long d : shape) {
        s.add(d);
      }
      long bytes = 4L * tensors.get(n).length;
      e.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] h = json.writeValueAsBytes(header);
    int pad = (8 - h.length % 8) % 8;
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length + pad);
      out.write(len.array());
      out.write(h);
      out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
      for (String n : names) {
        float[] v = tensors.get(n);
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
      }
    }
    return dir;
  }

  public Path write(Path dir) throws IOException {
    return write(dir, n -> false, Map.of());
  }
}
