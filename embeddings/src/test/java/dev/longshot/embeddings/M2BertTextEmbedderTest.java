package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.embeddings.m2bert.M2BertModel;
import dev.longshot.embeddings.m2bert.TinyM2Bert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java M2-BERT encoder against an independent double-precision forward written plainly below: direct O(L^2)
 * bidirectional convolutions instead of FFTs, the block-diagonal MLP matrices expanded to dense ones, erf from
 * commons-math3. Random-weight checkpoints in the real layout (safetensors + config.json + vocab.txt) with printed
 * seeds. Tolerance: 2e-5 absolute on the tanh-pooled output (values of order 0.1 to 1): the float32 forward
 * differed from the double one by at most 4.5e-6 over these seeds, lengths and texts (2026-12-02), so the bound
 * leaves about 4x room for rounding while any wrong term shows at the scale of the values.
 */
class M2BertTextEmbedderTest {
  static final double TOLERANCE = 2e-5;
  @TempDir Path tmp;

  @Test
  void matchesReferenceForwardAtPowerOfTwoAndOddLengths() throws Exception {
    // the default (filter spectra cached, one channel block at this width) and the long-context path (spectra
    // computed per block of 3 channels, so blocks of 3, 3 and 2 over 8 channels)
    for (M2BertModel.Blocking blocking : new M2BertModel.Blocking[] {M2BertModel.Blocking.DEFAULT, new M2BertModel.Blocking(3, 0)}) {
      for (long seed : new long[] {20261202L, 7L}) {
        for (int len : new int[] {16, 13}) {
          System.out.printf("M2BertTextEmbedderTest: seed %d, length %d, %s%n", seed, len, blocking);
          TinyM2Bert ck = new TinyM2Bert(seed, 8, 16, 2, len, 4, 4);
          Path dir = ck.write(tmp.resolve("m2-" + seed + "-" + len + "-" + blocking.channels()));
          try (M2BertTextEmbedder e = new M2BertTextEmbedder(dir, 2, blocking)) {
            for (String text : new String[] {"The cats sat on the mat", "", "a big red dog"}) {
              int[] ids = e.inputIds(text);
              double[] ref = new Reference(ck).pooled(ids);
              float[] got = e.rawPooled(ids);
              double max = 0;
              for (int i = 0; i < ref.length; i++) {
                max = Math.max(max, Math.abs(ref[i] - got[i]));
              }
              System.out.printf("  '%s': max |java - reference| = %.3g%n", text, max);
              assertThat(max).as("seed %d length %d text '%s' %s", seed, len, text, blocking).isLessThan(TOLERANCE);
              assertThat(e.embedQuery(text)).containsExactly(Vectors.normalize(got.clone()));
            }
          }
        }
      }
    }
  }

  @Test
  void raggedWidthsMatchReference() throws Exception {
    // sizes that are not multiples of the vector length, so every Vector API loop also runs its scalar tail: 12
    // channels (one block of 12, or blocks of 5, 5 and 2), filter order 12, intermediate 20, length 13. The second
    // blocking's cache holds one layer's spectra (2 filters x 12 channels x 26 floats), so layer 0 runs from the
    // cache and layer 1 computes its filters per block
    M2BertModel.Blocking oneLayer = new M2BertModel.Blocking(5, 2L * 12 * 26 * Float.BYTES);
    for (M2BertModel.Blocking blocking : new M2BertModel.Blocking[] {M2BertModel.Blocking.DEFAULT, oneLayer}) {
      long seed = 20261202L + blocking.channels();
      TinyM2Bert ck = new TinyM2Bert(seed, 12, 20, 2, 13, 12, 4);
      Path dir = ck.write(tmp.resolve("ragged-" + blocking.channels()));
      try (M2BertModel model = M2BertModel.load(dir, 1, blocking)) {
        assertThat(model.cachedLayers()).isEqualTo(blocking == oneLayer ? 1 : 2);
      }
      try (M2BertTextEmbedder e = new M2BertTextEmbedder(dir, 2, blocking)) {
        int[] ids = e.inputIds("the big red dog sat on a mat");
        double[] ref = new Reference(ck).pooled(ids);
        float[] got = e.rawPooled(ids);
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
          max = Math.max(max, Math.abs(ref[i] - got[i]));
        }
        System.out.printf("M2BertTextEmbedderTest ragged: seed %d, %s: max |java - reference| = %.3g%n", seed, blocking,
            max);
        assertThat(max).as("seed %d %s", seed, blocking).isLessThan(TOLERANCE);
      }
    }
  }

  @Test
  void tokenisesLowercaseWordPiecesPadsAndTruncatesKeepingSep() throws Exception {
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("m2"));
    try (M2BertTextEmbedder e = new M2BertTextEmbedder(dir, 1)) {
      assertThat(e.inputIds("The cats sat, zebra")).containsExactly(2, 5, 6, 11, 7, 1, 1, 3, 0, 0, 0, 0);
      assertThat(e.inputIds("")).containsExactly(2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      // 14 words for 12 positions: 10 kept, then [SEP]
      int[] ids = e.inputIds("the cat sat on the mat the dog sat on a big red mat");
      assertThat(ids).containsExactly(2, 5, 6, 7, 8, 5, 9, 5, 10, 7, 8, 3);
      assertThat(e.embedPassages(List.of("the cat sat on the mat the dog sat on a big red mat")).get(0))
          .containsExactly(Vectors.normalize(e.rawPooled(ids)));
      assertThat(e.maxTokens()).isEqualTo(12);
      assertThat(e.dimension()).isEqualTo(8);
    }
  }

  @Test
  void missingOrMisshapenTensorsAreNamedBeforeAnythingIsRead() throws Exception {
    TinyM2Bert ck = new TinyM2Bert(3, 8, 16, 2, 12, 4, 4);
    Path missing = ck.write(tmp.resolve("missing"), n -> n.equals("encoder.layer.1.mlp.wo.bias")
        || n.endsWith(".freq"), Map.of());
    assertThatThrownBy(() -> new M2BertTextEmbedder(missing, 1)).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("bert.encoder.layer.1.mlp.wo.bias")
        .hasMessageContaining("bert.encoder.layer.0.attention.filter_fn.implicit_filter.1.freq");
    Path wrong = ck.write(tmp.resolve("wrong"), n -> false,
        Map.of("encoder.layer.0.attention.in_linear.weight", new long[] {8, 24}));
    assertThatThrownBy(() -> new M2BertTextEmbedder(wrong, 1)).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("bert.encoder.layer.0.attention.in_linear.weight [8, 24] (config.json implies [24, 8])");
  }

  @Test
  void hostileConfigAndMissingFilesFailWithOneLine() throws Exception {
    Path dir = new TinyM2Bert(4, 8, 16, 1, 12, 4, 4).write(tmp.resolve("m2"));
    String cfg = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), cfg.replace("\"hidden_size\" : 8", "\"hidden_size\" : 1073741824"));
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("hidden_size is 1073741824; allowed 1..");
    Files.writeString(dir.resolve("config.json"), cfg.replace("\"bidirectional\" : true", "\"bidirectional\" : false"));
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).hasMessageContaining("bidirectional is false");
    Files.writeString(dir.resolve("config.json"), cfg);
    Files.delete(dir.resolve("vocab.txt"));
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).hasMessageContaining("neither tokenizer.json nor vocab.txt");
    Files.delete(dir.resolve("model.safetensors"));
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).hasMessageContaining("model.safetensors is missing");
    assertThat(Files.exists(dir.resolve("config.json"))).isTrue();
  }

  @Test
  void constantsThatWouldMakeEveryVectorNaNAreRefusedNamingTheKey() throws Exception {
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("eps"));
    ObjectMapper om = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode cfg =
        (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(dir.resolve("config.json").toFile());
    for (Object bad : java.util.List.of(-1, 0, "tiny", 1e300)) {
      for (String key : java.util.List.of("layer_norm_eps", "hyena_w_mod")) {
        com.fasterxml.jackson.databind.node.ObjectNode c = cfg.deepCopy();
        c.set(key, om.valueToTree(bad));
        om.writeValue(dir.resolve("config.json").toFile(), c);
        assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).as(key + " = " + bad)
            .isInstanceOf(EmbeddingException.class).hasMessageContaining("config.json").hasMessageContaining(key);
      }
    }
  }

  @Test
  void aTokenizerJsonOfGigabytesIsRefusedBeforeItIsRead() throws Exception {
    // a sparse 3 GiB tokenizer.json: readAllBytes threw OutOfMemoryError past the loader's catch
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("huge-tok"));
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("tokenizer.json").toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("3221225472");
  }

  @Test
  void aMalformedTokenizerJsonIsAnErrorNotAJvmAbort() throws Exception {
    // the Rust tokenizers crate panics (.expect("Helper") in decoders/mod.rs) on a syntax error inside "decoder",
    // and the panic aborted the whole JVM: the CLI died without a message, the web server died with it
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("bad-tok"));
    String json = new String(dev.longshot.embeddings.m2bert.BertVocab.tokenizerJson(dir.resolve("vocab.txt")),
        java.nio.charset.StandardCharsets.UTF_8);
    String decoder = "\"decoder\"\\s*:\\s*\\{[^}]*\\}";
    for (String replacement : List.of("\"decoder\": {\"type\": \"WordPiece\",, \"prefix\": \"##\"}",
        "\"decoder\": {\"type\": \"WordPiece\", \"prefix\": \"\\ud800\"}",
        "\"decoder\": " + "[".repeat(200) + "]".repeat(200))) {
      String bad = json.replaceFirst(decoder, java.util.regex.Matcher.quoteReplacement(replacement));
      assertThat(bad).isNotEqualTo(json);
      Files.writeString(dir.resolve("tokenizer.json"), bad);
      assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).isInstanceOf(EmbeddingException.class)
          .hasMessageContaining("tokenizer.json");
    }
  }

  @Test
  void aTokenizerWithIdsBeyondTheModelsVocabularyIsRefusedAtLoad() throws Exception {
    // the old loader accepted it and every query then failed inside the model with IllegalArgumentException
    Path dir = new TinyM2Bert(1, 8, 16, 1, 12, 4, 4).write(tmp.resolve("big-ids"));
    ObjectMapper om = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode tok = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(
        dev.longshot.embeddings.m2bert.BertVocab.tokenizerJson(dir.resolve("vocab.txt")));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tok.path("model").path("vocab")).put("cat", Integer.MAX_VALUE);
    om.writeValue(dir.resolve("tokenizer.json").toFile(), tok);
    assertThatThrownBy(() -> new M2BertTextEmbedder(dir, 1)).isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("does not match the model").hasMessageContaining("2147483647")
        .hasMessageContaining("vocab_size");
  }

  /** The forward pass in double precision, as plainly as the maths reads (research/m2bert.md). */
  static final class Reference {
    final TinyM2Bert m;
    final int h;
    final int len;

    Reference(TinyM2Bert m) {
      this.m = m;
      this.h = m.hidden;
      this.len = m.len;
    }

    double[] t(String name) {
      float[] f = m.tensors.get(name);
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }

    double[] pooled(int[] ids) {
      double[][] x = new double[len][h];
      double[] word = t("embeddings.word_embeddings.weight");
      double[] type = t("embeddings.token_type_embeddings.weight");
      double[] pos = t("embeddings.position_embeddings.weight");
      for (int s = 0; s < len; s++) {
        for (int c = 0; c < h; c++) {
          x[s][c] = word[ids[s] * h + c] + type[c] + pos[s * h + c];
        }
        x[s] = layerNorm(x[s], t("embeddings.LayerNorm.weight"), t("embeddings.LayerNorm.bias"));
      }
      for (int l = 0; l < m.layers; l++) {
        x = layer("encoder.layer." + l + ".", x);
      }
      double[] out = linear(t("pooler.dense.weight"), t("pooler.dense.bias"), x[0], h, h);
      return Arrays.stream(out).map(Math::tanh).toArray();
    }

    double[][] layer(String p, double[][] u) {
      double[][] proj = new double[len][];
      for (int s = 0; s < len; s++) {
        proj[s] = linear(t(p + "attention.in_linear.weight"), t(p + "attention.in_linear.bias"), u[s], 3 * h, h);
      }
      double[] sw = t(p + "attention.short_filter.weight");
      double[] sb = t(p + "attention.short_filter.bias");
      double[][] uc = new double[3 * h][len];
      for (int ch = 0; ch < 3 * h; ch++) {
        for (int s = 0; s < len; s++) {
          double acc = sb[ch];
          for (int j = 0; j < 3; j++) {
            int src = s - 2 + j;
            acc += src >= 0 ? sw[ch * 3 + j] * proj[src][ch] : 0;
          }
          uc[ch][s] = acc;
        }
      }
      double[][] k1 = filter(p + "attention.filter_fn.", "implicit_filter");
      double[][] k1r = filter(p + "attention.filter_fn.", "implicit_filter_rev");
      double[][] k2 = filter(p + "attention.filter_fn2.", "implicit_filter");
      double[][] k2r = filter(p + "attention.filter_fn2.", "implicit_filter_rev");
      double[] d1 = t(p + "attention.filter_fn.bias");
      double[] d2 = t(p + "attention.filter_fn2.bias");
      double[][] y = new double[len][h];
      for (int c = 0; c < h; c++) {
        double[] v = new double[len];
        double[] uu = new double[len];
        for (int s = 0; s < len; s++) {
          v[s] = uc[2 * h + c][s] * uc[c][s];
          uu[s] = u[s][c];
        }
        for (int s = 0; s < len; s++) {
          double a = conv(k1, k1r, c, v, s) + d1[c] * v[s];
          y[s][c] = a * uc[h + c][s] + conv(k2, k2r, c, uu, s) + d2[c] * uu[s];
        }
      }
      double[][] mixed = new double[len][];
      for (int s = 0; s < len; s++) {
        mixed[s] = linear(t(p + "attention.out_linear.weight"), t(p + "attention.out_linear.bias"), y[s], h, h);
      }
      int inter = m.inter;
      double[] g = dense(t(p + "mlp.gated_layers.weight"), 2 * inter, h);
      double[] wo = dense(t(p + "mlp.wo.weight"), h, inter);
      double[][] out = new double[len][];
      for (int s = 0; s < len; s++) {
        double[] hg = linear(g, new double[2 * inter], mixed[s], 2 * inter, h);
        double[] act = new double[inter];
        for (int j = 0; j < inter; j++) {
          double a = hg[j];
          act[j] = 0.5 * a * (1 + Erf.erf(a / Math.sqrt(2))) * hg[inter + j];
        }
        double[] o = linear(wo, t(p + "mlp.wo.bias"), act, h, inter);
        for (int c = 0; c < h; c++) {
          o[c] += mixed[s][c];
        }
        out[s] = layerNorm(o, t(p + "mlp.layernorm.weight"), t(p + "mlp.layernorm.bias"));
      }
      return out;
    }

    /** {@code sum_{s<=t} k[t-s] v[s] + sum_{s>t} k_rev[s-t-1] v[s]}, channel c. */
    double conv(double[][] k, double[][] kRev, int c, double[] v, int t) {
      double acc = 0;
      for (int s = 0; s < len; s++) {
        acc += s <= t ? k[t - s][c] * v[s] : kRev[s - t - 1][c] * v[s];
      }
      return acc;
    }

    /** Implicit filter [L][H]: Linear, Sin, Linear, Sin, Linear, Sin, Linear (no bias), then exp decay. */
    double[][] filter(String q, String mlp) {
      double[] z = t(q + "pos_emb.z");
      double[] tt = t(q + "pos_emb.t");
      double[] freq = t(q + "implicit_filter.1.freq");
      double[] deltas = t(q + "modulation.deltas");
      int o = m.order;
      double[][] k = new double[len][];
      for (int s = 0; s < len; s++) {
        double[] a = Arrays.copyOfRange(z, s * m.emb, (s + 1) * m.emb);
        int in = m.emb;
        for (int j = 0; j < 6; j += 2) {
          a = linear(t(q + mlp + "." + j + ".weight"), t(q + mlp + "." + j + ".bias"), a, o, in);
          for (int i = 0; i < o; i++) {
            a[i] = Math.sin(1.0 * freq[i] * a[i]);
          }
          in = o;
        }
        a = linear(t(q + mlp + ".6.weight"), new double[h], a, h, o);
        for (int c = 0; c < h; c++) {
          a[c] *= Math.exp(-tt[s] * Math.abs(deltas[c]));
        }
        k[s] = a;
      }
      return k;
    }

    /** The block-diagonal weight [nb][out/nb][in/nb] as a dense [out][in] matrix. */
    double[] dense(double[] blocks, int out, int in) {
      int nb = m.nblocks;
      int ob = out / nb;
      int ib = in / nb;
      double[] d = new double[out * in];
      for (int b = 0; b < nb; b++) {
        for (int j = 0; j < ob; j++) {
          for (int i = 0; i < ib; i++) {
            d[(b * ob + j) * in + b * ib + i] = blocks[(b * ob + j) * ib + i];
          }
        }
      }
      return d;
    }

    static double[] linear(double[] w, double[] b, double[] x, int out, int in) {
      double[] y = new double[out];
      for (int r = 0; r < out; r++) {
        double acc = b[r];
        for (int c = 0; c < in; c++) {
          acc += w[r * in + c] * x[c];
        }
        y[r] = acc;
      }
      return y;
    }

    static double[] layerNorm(double[] x, double[] g, double[] b) {
      double mean = Arrays.stream(x).average().orElse(0);
      double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElse(0);
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = (x[i] - mean) / Math.sqrt(var + 1e-12) * g[i] + b[i];
      }
      return y;
    }
  }
}
