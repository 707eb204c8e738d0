package dev.longshot.embeddings.m2bert;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * M2-BERT's tensors read from one safetensors file into float arrays. Every expected name and shape (from
 * config.json) is checked against the file's header first, and all names missing or of the wrong shape are listed
 * in one {@link ModelFormatException} before any tensor is read. Keys may carry the {@code bert.} prefix of the
 * released checkpoints or not; other tensors (FlashFFTConv buffers, classifier heads) are ignored.
 */
final class M2BertWeights {
  /** One implicit-filter block ({@code filter_fn} or {@code filter_fn2}). */
  record Filter(float[] z, float[] t, float[][] fwd, float[][] rev, float[] freq, float[] deltas,
      float[] bias) {}

  /** One encoder layer. */
  record Layer(float[] inW, float[] inB, float[] shortW, float[] shortB, float[] outW, float[] outB, Filter f1, Filter f2,
      float[] gated, float[] wo, float[] woB, float[] lnW, float[] lnB) {}

  final float[] word;
  final float[] type;
  final float[] position;
  final float[] embLnW;
  final float[] embLnB;
  final Layer[] layers;
  final float[] poolW;
  final float[] poolB;

  private final SafetensorsFile file;
  private final String prefix;
  private final Map<String, long[]> expected = new LinkedHashMap<>();

  M2BertWeights(SafetensorsFile file, M2BertConfig c) {
    this.file = file;
    this.prefix = file.entries().containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    int h = c.hidden();
    int o = c.filterOrder();
    int l = c.maxPositions();
    int nb = c.nblocks();
    expect("embeddings.word_embeddings.weight", c.vocab(), h);
    expect("embeddings.token_type_embeddings.weight", c.typeVocab(), h);
    expect("embeddings.position_embeddings.weight", l, h);
    expect("embeddings.LayerNorm.weight", h);
    expect("embeddings.LayerNorm.bias", h);
    for (int i = 0; i < c.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      expect(p + "attention.in_linear.weight", 3L * h, h);
      expect(p + "attention.in_linear.bias", 3L * h);
      expect(p + "attention.out_linear.weight", h, h);
      expect(p + "attention.out_linear.bias", h);
      expect(p + "attention.short_filter.weight", 3L * h, 1, 3);
      expect(p + "attention.short_filter.bias", 3L * h);
      for (String f : new String[] {"filter_fn", "filter_fn2"}) {
        String q = p + "attention." + f + ".";
        expect(q + "bias", h);
        expect(q + "pos_emb.z", 1, l, c.embDim());
        expect(q + "pos_emb.t", 1, l, 1);
        expect(q + "modulation.deltas", 1, 1, h);
        for (String m : new String[] {"implicit_filter", "implicit_filter_rev"}) {
          expect(q + m + ".0.weight", o, c.embDim());
          expect(q + m + ".0.bias", o);
          expect(q + m + ".2.weight", o, o);
          expect(q + m + ".2.bias", o);
          expect(q + m + ".4.weight", o, o);
          expect(q + m + ".4.bias", o);
          expect(q + m + ".6.weight", h, o);
        }
      }
      expect(p + "mlp.gated_layers.weight", nb, 2L * c.intermediate() / nb, h / nb);
      expect(p + "mlp.wo.weight", nb, h / nb, c.intermediate() / nb);
      expect(p + "mlp.wo.bias", h);
      expect(p + "mlp.layernorm.weight", h);
      expect(p + "mlp.layernorm.bias", h);
    }
    expect("pooler.dense.weight", h, h);
    expect("pooler.dense.bias", h);
    checkHeader(c);

    word = read("embeddings.word_embeddings.weight");
    type = read("embeddings.token_type_embeddings.weight");
    position = read("embeddings.position_embeddings.weight");
    embLnW = read("embeddings.LayerNorm.weight");
    embLnB = read("embeddings.LayerNorm.bias");
    layers = new Layer[c.layers()];
    for (int i = 0; i < c.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      layers[i] = new Layer(read(p + "attention.in_linear.weight"), read(p + "attention.in_linear.bias"),
          read(p + "attention.short_filter.weight"), read(p + "attention.short_filter.bias"),
          read(p + "attention.out_linear.weight"), read(p + "attention.out_linear.bias"),
          filter(p + "attention.filter_fn."), filter(p + "attention.filter_fn2."),
          read(p + "mlp.gated_layers.weight"), read(p + "mlp.wo.weight"), read(p + "mlp.wo.bias"),
          read(p + "mlp.layernorm.weight"), read(p + "mlp.layernorm.bias"));
    }
    poolW = read("pooler.dense.weight");
    poolB = read("pooler.dense.bias");
  }

  private Filter filter(String q) {
    float[][] fwd = new float[7][];
    float[][] rev = new float[7][];
    for (int j : new int[] {0, 2, 4}) {
      fwd[j] = read(q + "implicit_filter." + j + ".weight");
      fwd[j + 1] = read(q + "implicit_filter." + j + ".bias");
      rev[j] = read(q + "implicit_filter_rev." + j + ".weight");
      rev[j + 1] = read(q + "implicit_filter_rev." + j + ".bias");
    }
    fwd[6] = read(q + "implicit_filter.6.weight");
    rev[6] = read(q + "implicit_filter_rev.6.weight");
    return new Filter(read(q + "pos_emb.z"), read(q + "pos_emb.t"), fwd, rev, read(freqName(q)),
        read(q + "modulation.deltas"), read(q + "bias"));
  }

  /** The six Sin slots of a filter share one tensor; a converter may have kept any of their names. */
  private static List<String> freqNames(String q) {
    List<String> names = new ArrayList<>();
    for (String m : new String[] {"implicit_filter", "implicit_filter_rev"}) {
      for (int j : new int[] {1, 3, 5}) {
        names.add(q + m + "." + j + ".freq");
      }
    }
    return names;
  }

  private String freqName(String q) {
    for (String n : freqNames(q)) {
      if (file.entries().containsKey(prefix + n)) {
        return n;
      }
    }
    throw new IllegalStateException("checked in checkHeader");
  }

  private void expect(String name, long... shape) {
    expected.put(name, shape);
  }

  private void checkHeader(M2BertConfig c) {
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      SafetensorsFile.Entry got = file.entries().get(prefix + e.getKey());
      if (got == null) {
        missing.add(prefix + e.getKey());
      } else if (!Arrays.equals(got.shape(), e.getValue())) {
        wrong.add(prefix + e.getKey() + " " + Arrays.toString(got.shape()) + " (config.json implies "
            + Arrays.toString(e.getValue()) + ")");
      }
    }
    for (int i = 0; i < c.layers(); i++) {
      for (String f : new String[] {"filter_fn", "filter_fn2"}) {
        String q = "encoder.layer." + i + ".attention." + f + ".";
        List<String> names = freqNames(q);
        String found = names.stream().filter(n -> file.entries().containsKey(prefix + n)).findFirst().orElse(null);
        if (found == null) {
          missing.add(prefix + q + "implicit_filter.1.freq (or another Sin slot's freq)");
        } else if (!Arrays.equals(file.entries().get(prefix + found).shape(), new long[] {1, c.filterOrder()})) {
          wrong.add(prefix + found + " " + Arrays.toString(file.entries().get(prefix + found).shape())
              + " (config.json implies [1, " + c.filterOrder() + "])");
        }
      }
    }
    if (!missing.isEmpty() || !wrong.isEmpty()) {
      StringBuilder sb = new StringBuilder(file.path() + " does not match config.json:");
      if (!missing.isEmpty()) {
        sb.append(" missing ").append(missing.size()).append(" tensor(s): ").append(list(missing)).append(';');
      }
      if (!wrong.isEmpty()) {
        sb.append(" wrong shape: ").append(list(wrong)).append(';');
      }
      throw new ModelFormatException(sb.substring(0, sb.length() - 1));
    }
  }

  private static String list(List<String> names) {
    return names.size() <= 6 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
  }

  private float[] read(String name) {
    var t = file.tensor(prefix + name);
    float[] out = new float[Math.toIntExact(t.size())];
    t.copyTo(0, out, 0, out.length);
    return out;
  }
}
