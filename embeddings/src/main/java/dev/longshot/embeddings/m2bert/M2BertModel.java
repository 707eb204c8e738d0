package dev.longshot.embeddings.m2bert;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jtransforms.fft.FloatFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The M2-BERT (Monarch Mixer) encoder forward pass in float32, one sequence of exactly {@code max_position_embeddings}
 * token ids at a time (the checkpoints were trained and are meant to be run padded to that length; the mixer never
 * masks padding). The maths, layer by layer, is spelled out in the module README. Matrix products run on the
 * embedded runtime's Vector API kernels ({@link Matmul}) across a {@link Parallel} pool; the long convolutions run
 * as length-2L real FFTs (JTransforms), one channel per task. Thread-safe for concurrent {@link #pooled} calls.
 */
public final class M2BertModel implements AutoCloseable {
  /** Filter spectra are kept between calls while all of them fit in this many bytes (the 2k model: 302 MB). */
  static final long FILTER_CACHE_BYTES = 512L << 20;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int MLP_ROWS = 256;

  static {
    // channels already run in parallel; JTransforms' own threads would only oversubscribe the cores
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final M2BertConfig config;
  private final M2BertWeights w;
  private final Parallel par;
  private final FloatTensor[] inW;
  private final FloatTensor[] outW;
  private final FloatTensor[][] gated;
  private final FloatTensor[][] wo;
  private final FloatTensor poolW;
  private final float[][][] spectra; // [layer*2 + filter][channel][2L], null unless cached

  M2BertModel(M2BertConfig config, M2BertWeights w, int threads) {
    this.config = config;
    this.w = w;
    this.par = new Parallel(threads);
    int n = config.layers();
    int h = config.hidden();
    int nb = config.nblocks();
    int i2 = 2 * config.intermediate() / nb;
    inW = new FloatTensor[n];
    outW = new FloatTensor[n];
    gated = new FloatTensor[n][nb];
    wo = new FloatTensor[n][nb];
    for (int l = 0; l < n; l++) {
      M2BertWeights.Layer ly = w.layers[l];
      inW[l] = FloatTensor.of(ly.inW());
      outW[l] = FloatTensor.of(ly.outW());
      int gSize = i2 * (h / nb);
      int oSize = (h / nb) * (config.intermediate() / nb);
      for (int b = 0; b < nb; b++) {
        gated[l][b] = FloatTensor.of(Arrays.copyOfRange(ly.gated(), b * gSize, (b + 1) * gSize));
        wo[l][b] = FloatTensor.of(Arrays.copyOfRange(ly.wo(), b * oSize, (b + 1) * oSize));
      }
    }
    poolW = FloatTensor.of(w.poolW);
    long cacheBytes = 2L * n * h * 2L * config.maxPositions() * Float.BYTES;
    spectra = cacheBytes <= FILTER_CACHE_BYTES ? new float[2 * n][][] : null;
  }

  /**
   * Loads {@code model.safetensors} and {@code config.json} from {@code dir}, checking every size and tensor shape
   * before reading weights.
   *
   * @throws ModelFormatException naming the file and the missing or mismatched key or tensor
   */
  public static M2BertModel load(Path dir, int threads) {
    M2BertConfig config = M2BertConfig.read(requireFile(dir.resolve("config.json")));
    Path weights = requireFile(dir.resolve("model.safetensors"));
    try (SafetensorsFile file = SafetensorsFile.open(weights)) {
      return new M2BertModel(config, new M2BertWeights(file, config), threads);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + weights + ": " + e.getMessage(), e);
    }
  }

  static Path requireFile(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new ModelFormatException(p + " is missing (an M2-BERT directory holds model.safetensors, config.json and"
          + " tokenizer.json or vocab.txt; embeddings/README.md shows how to convert pytorch_model.bin)");
    }
    return p;
  }

  M2BertConfig config() {
    return config;
  }

  /** Output dimension (hidden size). */
  public int dimension() {
    return config.hidden();
  }

  /** The sequence length every input is padded to. */
  public int maxPositions() {
    return config.maxPositions();
  }

  /**
   * The pooler output {@code tanh(W h[0] + b)} (not normalised) for {@code ids}, which must hold exactly
   * {@link #maxPositions()} ids below {@code vocab_size}.
   */
  public float[] pooled(int[] ids) {
    return pool(encode(ids)[0]);
  }

  /** Last hidden states, {@code [L][H]}. */
  float[][] encode(int[] ids) {
    int len = config.maxPositions();
    int h = config.hidden();
    if (ids.length != len) {
      throw new IllegalArgumentException("M2-BERT reads exactly " + len + " ids (padded), got " + ids.length);
    }
    float[][] x = new float[len][h];
    for (int t = 0; t < len; t++) {
      int id = ids[t];
      if (id < 0 || id >= config.vocab()) {
        throw new IllegalArgumentException("token id " + id + " at " + t + " is outside the vocabulary of " + config.vocab());
      }
      float[] row = x[t];
      for (int c = 0; c < h; c++) {
        row[c] = w.word[id * h + c] + w.type[c] + w.position[t * h + c];
      }
      layerNorm(row, w.embLnW, w.embLnB, config.layerNormEps());
    }
    for (int l = 0; l < config.layers(); l++) {
      x = layer(l, x);
    }
    return x;
  }

  private float[] pool(float[] cls) {
    int h = config.hidden();
    float[] out = new float[h];
    Matmul.matvec(par, poolW, cls, out, h, h);
    for (int c = 0; c < h; c++) {
      out[c] = (float) Math.tanh(out[c] + w.poolB[c]);
    }
    return out;
  }

  private float[][] layer(int l, float[][] u) {
    M2BertWeights.Layer ly = w.layers[l];
    int len = config.maxPositions();
    int h = config.hidden();
    // sequence mixer: in_linear, causal short depthwise conv, gates, two bidirectional long convs, out_linear
    float[][] p = new float[len][3 * h];
    Matmul.matmul(par, inW[l], u, p, len, 3 * h, h);
    float[][] k1 = spectra(l, 0, ly.f1());
    float[][] k2 = spectra(l, 1, ly.f2());
    float[][] y = new float[len][h];
    float[] sw = ly.shortW();
    float[] sb = ly.shortB();
    float[] inB = ly.inB();
    par.forRange(h, (from, to) -> {
      int n2 = 2 * len;
      FloatFFT_1D fft = new FloatFFT_1D(n2);
      float[] a = new float[n2];
      float[] b = new float[n2];
      float[] x2 = new float[len];
      for (int c = from; c < to; c++) {
        for (int t = 0; t < len; t++) {
          float x1 = shortConv(p, inB, sw, sb, c, t);
          x2[t] = shortConv(p, inB, sw, sb, h + c, t);
          a[t] = shortConv(p, inB, sw, sb, 2 * h + c, t) * x1;
          b[t] = u[t][c];
        }
        float d1 = ly.f1().bias()[c];
        float d2 = ly.f2().bias()[c];
        convolve(fft, a, k1[c], len);
        convolve(fft, b, k2[c], len);
        for (int t = 0; t < len; t++) {
          // a and b now hold conv(v) and conv(u) in [0, L); the D terms use v and u themselves
          float v = shortConv(p, inB, sw, sb, 2 * h + c, t) * shortConv(p, inB, sw, sb, c, t);
          y[t][c] = (a[t] + d1 * v) * x2[t] + b[t] + d2 * u[t][c];
        }
      }
    });
    float[][] mixed = new float[len][h];
    Matmul.matmul(par, outW[l], y, mixed, len, h, h);
    addBias(mixed, ly.outB());
    // state mixer: block-diagonal GLU MLP with post-LayerNorm on the mixer output, MLP_ROWS tokens at a time
    int nb = config.nblocks();
    int inter = config.intermediate();
    int hb = h / nb;
    int gb = 2 * inter / nb;
    int ib = inter / nb;
    float[][] out = new float[len][];
    for (int r0 = 0; r0 < len; r0 += MLP_ROWS) {
      int rows = Math.min(MLP_ROWS, len - r0);
      float[][] hg = new float[rows][2 * inter];
      blockDiag(gated[l], mixed, r0, rows, hb, gb, hg);
      float[][] act = new float[rows][inter];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < inter; j++) {
          act[r][j] = gelu(hg[r][j]) * hg[r][inter + j];
        }
      }
      float[][] o = new float[rows][h];
      blockDiag(wo[l], act, 0, rows, ib, hb, o);
      for (int r = 0; r < rows; r++) {
        float[] row = o[r];
        float[] res = mixed[r0 + r];
        add(row, res, ly.woB());
        layerNorm(row, ly.lnW(), ly.lnB(), config.layerNormEps());
        out[r0 + r] = row;
      }
    }
    return out;
  }

  private static float shortConv(float[][] p, float[] inB, float[] sw, float[] sb, int ch, int t) {
    float s = sb[ch] + sw[ch * 3 + 2] * (p[t][ch] + inB[ch]);
    if (t >= 1) {
      s += sw[ch * 3 + 1] * (p[t - 1][ch] + inB[ch]);
    }
    if (t >= 2) {
      s += sw[ch * 3] * (p[t - 2][ch] + inB[ch]);
    }
    return s;
  }

  /** {@code outs[r][b*ob + j] = sum_i W_b[j][i] * xs[r0+r][b*ib + i]} for every block b. */
  private void blockDiag(FloatTensor[] blocks, float[][] xs, int r0, int rows, int ib, int ob, float[][] outs) {
    for (int b = 0; b < blocks.length; b++) {
      float[][] in = new float[rows][];
      float[][] part = new float[rows][ob];
      for (int r = 0; r < rows; r++) {
        in[r] = Arrays.copyOfRange(xs[r0 + r], b * ib, (b + 1) * ib);
      }
      Matmul.matmul(par, blocks[b], in, part, rows, ob, ib);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(part[r], 0, outs[r], b * ob, ob);
      }
    }
  }

  /**
   * In place: {@code a[0..L)} becomes the circular convolution (length 2L) of {@code a[0..L)} (zero-padded) with
   * the kernel whose spectrum is {@code spec} (JTransforms' packed real layout), restricted to {@code [0, L)}.
   */
  private static void convolve(FloatFFT_1D fft, float[] a, float[] spec, int len) {
    Arrays.fill(a, len, 2 * len, 0f);
    fft.realForward(a);
    a[0] *= spec[0];
    a[1] *= spec[1];
    for (int k = 2; k < a.length; k += 2) {
      float re = a[k] * spec[k] - a[k + 1] * spec[k + 1];
      float im = a[k] * spec[k + 1] + a[k + 1] * spec[k];
      a[k] = re;
      a[k + 1] = im;
    }
    fft.realInverse(a, true);
  }

  /** Per channel, the spectrum of the length-2L kernel {@code [k[0..L), reverse(k_rev[0..L))]}. */
  private float[][] spectra(int l, int which, M2BertWeights.Filter f) {
    if (spectra != null) {
      synchronized (spectra) {
        if (spectra[2 * l + which] == null) {
          spectra[2 * l + which] = computeSpectra(f);
        }
        return spectra[2 * l + which];
      }
    }
    return computeSpectra(f);
  }

  private float[][] computeSpectra(M2BertWeights.Filter f) {
    int len = config.maxPositions();
    int h = config.hidden();
    float[][] k = implicitFilter(f, f.fwd());
    float[][] kRev = implicitFilter(f, f.rev());
    float[][] spec = new float[h][];
    par.forRange(h, (from, to) -> {
      FloatFFT_1D fft = new FloatFFT_1D(2L * len);
      for (int c = from; c < to; c++) {
        float[] s = new float[2 * len];
        for (int t = 0; t < len; t++) {
          s[t] = k[t][c];
          s[len + t] = kRev[len - 1 - t][c];
        }
        fft.realForward(s);
        spec[c] = s;
      }
    });
    return spec;
  }

  /** The Hyena implicit filter {@code [L][H]}: MLP over positional features with shared Sin, then decay. */
  private float[][] implicitFilter(M2BertWeights.Filter f, float[][] mlp) {
    int len = config.maxPositions();
    int e = config.embDim();
    int o = config.filterOrder();
    int h = config.hidden();
    float[][] z = new float[len][];
    for (int t = 0; t < len; t++) {
      z[t] = Arrays.copyOfRange(f.z(), t * e, (t + 1) * e);
    }
    float[][] cur = z;
    int cols = e;
    for (int j = 0; j < 6; j += 2) {
      float[][] next = new float[len][o];
      Matmul.matmul(par, FloatTensor.of(mlp[j]), cur, next, len, o, cols);
      float[] bias = mlp[j + 1];
      for (float[] row : next) {
        for (int i = 0; i < o; i++) {
          row[i] = (float) Math.sin(config.sinWMod() * f.freq()[i] * (row[i] + bias[i]));
        }
      }
      cur = next;
      cols = o;
    }
    float[][] out = new float[len][h];
    Matmul.matmul(par, FloatTensor.of(mlp[6]), cur, out, len, h, o);
    for (int t = 0; t < len; t++) {
      float tt = f.t()[t];
      for (int c = 0; c < h; c++) {
        out[t][c] *= (float) Math.exp(-tt * Math.abs(f.deltas()[c]));
      }
    }
    return out;
  }

  private static void addBias(float[][] rows, float[] bias) {
    for (float[] row : rows) {
      add(row, null, bias);
    }
  }

  /** {@code row += other + bias} (other may be null), with the Vector API. */
  private static void add(float[] row, float[] other, float[] bias) {
    int i = 0;
    int bound = F.loopBound(row.length);
    for (; i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, row, i).add(FloatVector.fromArray(F, bias, i));
      if (other != null) {
        v = v.add(FloatVector.fromArray(F, other, i));
      }
      v.intoArray(row, i);
    }
    for (; i < row.length; i++) {
      row[i] += bias[i] + (other == null ? 0f : other[i]);
    }
  }

  static void layerNorm(float[] x, float[] g, float[] b, double eps) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double inv = 1.0 / Math.sqrt(var + eps);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((x[i] - mean) * inv) * g[i] + b[i];
    }
  }

  /** Exact (erf) GELU; erf by Abramowitz &amp; Stegun 7.1.26, absolute error below 1.5e-7. */
  static float gelu(float x) {
    return 0.5f * x * (1f + erf(x * 0.70710678f));
  }

  static float erf(float x) {
    float ax = Math.abs(x);
    float t = 1f / (1f + 0.3275911f * ax);
    float y = 1f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f)
        * t * (float) Math.exp(-ax * ax);
    return x < 0 ? -y : y;
  }

  @Override
  public void close() {
    par.close();
  }
}
