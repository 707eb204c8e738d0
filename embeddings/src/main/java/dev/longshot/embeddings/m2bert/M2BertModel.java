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
  /**
   * Memory knobs. {@code channels}: sequence-mixer channels processed together (their in_linear projections and
   * filter kernels are the only per-channel state held, {@code L x 7 x channels} floats). {@code filterCacheBytes}:
   * the filter spectra (they depend only on the weights, since every input has length L) are kept between calls
   * when all of them fit, else each block's are computed when it is mixed.
   */
  public record Blocking(int channels, long filterCacheBytes) {
    /** 64 channels; spectra cached up to 512 MB (the 2k model needs 302 MB, the 8k 1.2 GB, the 32k 4.8 GB). */
    public static final Blocking DEFAULT = new Blocking(64, 512L << 20);

    public Blocking {
      if (channels < 1 || filterCacheBytes < 0) {
        throw new IllegalArgumentException("channels must be >= 1 and filterCacheBytes >= 0, got " + channels + ", "
            + filterCacheBytes);
      }
    }
  }
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int MLP_ROWS = 256;

  static {
    // channels already run in parallel; JTransforms' own threads would only oversubscribe the cores
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final M2BertConfig config;
  private final M2BertWeights w;
  private final Parallel par;
  private final int channels;
  private final FloatTensor[][] inBlocks; // [layer][channel block]: in_linear rows of x1, x2, v for the block
  private final FloatTensor[][][] lastLinear; // [layer][slot: f1 fwd, f1 rev, f2 fwd, f2 rev][channel block]
  private final FloatTensor[] outW;
  private final FloatTensor[][] gated;
  private final FloatTensor[][] wo;
  private final FloatTensor poolW;
  private final float[][][] spectra; // [layer*2 + filter][channel][2L], null unless cached

  M2BertModel(M2BertConfig config, M2BertWeights w, int threads, Blocking blocking) {
    this.config = config;
    this.w = w;
    this.par = new Parallel(threads);
    this.channels = blocking.channels();
    int n = config.layers();
    int h = config.hidden();
    int nb = config.nblocks();
    int i2 = 2 * config.intermediate() / nb;
    int blocks = (h + channels - 1) / channels;
    int o = config.filterOrder();
    inBlocks = new FloatTensor[n][blocks];
    lastLinear = new FloatTensor[n][4][blocks];
    outW = new FloatTensor[n];
    gated = new FloatTensor[n][nb];
    wo = new FloatTensor[n][nb];
    for (int l = 0; l < n; l++) {
      M2BertWeights.Layer ly = w.layers[l];
      for (int c0 = 0; c0 < h; c0 += channels) {
        int cb = Math.min(channels, h - c0);
        float[] rows = new float[3 * cb * h];
        for (int g = 0; g < 3; g++) {
          System.arraycopy(ly.inW(), (g * h + c0) * h, rows, g * cb * h, cb * h);
        }
        inBlocks[l][c0 / channels] = FloatTensor.of(rows);
        float[][] last = {ly.f1().fwd()[6], ly.f1().rev()[6], ly.f2().fwd()[6], ly.f2().rev()[6]};
        for (int slot = 0; slot < 4; slot++) {
          lastLinear[l][slot][c0 / channels] = FloatTensor.of(Arrays.copyOfRange(last[slot], c0 * o, (c0 + cb) * o));
        }
      }
      outW[l] = FloatTensor.of(ly.outW());
      int gSize = i2 * (h / nb);
      int oSize = (h / nb) * (config.intermediate() / nb);
      for (int b = 0; b < nb; b++) {
        gated[l][b] = FloatTensor.of(Arrays.copyOfRange(ly.gated(), b * gSize, (b + 1) * gSize));
        wo[l][b] = FloatTensor.of(Arrays.copyOfRange(ly.wo(), b * oSize, (b + 1) * oSize));
      }
      // the matrices now live (re-blocked) in the tensors above; keep one copy of the weights, not two
      w.layers[l] = new M2BertWeights.Layer(null, ly.inB(), ly.shortW(), ly.shortB(), ly.outW(), ly.outB(), ly.f1(),
          ly.f2(), null, null, ly.woB(), ly.lnW(), ly.lnB());
    }
    poolW = FloatTensor.of(w.poolW);
    long cacheBytes = 2L * n * h * 2L * config.maxPositions() * Float.BYTES;
    spectra = cacheBytes <= blocking.filterCacheBytes() ? new float[2 * n][][] : null;
  }

  /**
   * Loads {@code model.safetensors} and {@code config.json} from {@code dir}, checking every size and tensor shape
   * before reading weights.
   *
   * @throws ModelFormatException naming the file and the missing or mismatched key or tensor
   */
  public static M2BertModel load(Path dir, int threads) {
    return load(dir, threads, Blocking.DEFAULT);
  }

  /** {@link #load(Path, int)} with other memory knobs (tests, benchmarks). */
  public static M2BertModel load(Path dir, int threads, Blocking blocking) {
    M2BertConfig config = M2BertConfig.read(requireFile(dir.resolve("config.json")));
    Path weights = requireFile(dir.resolve("model.safetensors"));
    try (SafetensorsFile file = SafetensorsFile.open(weights)) {
      return new M2BertModel(config, new M2BertWeights(file, config), threads, blocking);
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
    // sequence mixer (in_linear, causal short depthwise conv, gates, two bidirectional long convs), channels at a
    // time: every step is per channel, so only a block's projections and kernels are ever held, O(L * channels)
    float[][] y = new float[len][h];
    float[][][] cached = cachedSpectra(l);
    float[][][] features = cached == null ? new float[][][] {features(ly.f1(), ly.f1().fwd()), features(ly.f1(),
        ly.f1().rev()), features(ly.f2(), ly.f2().fwd()), features(ly.f2(), ly.f2().rev())} : null;
    for (int c0 = 0; c0 < h; c0 += channels) {
      int cb = Math.min(channels, h - c0);
      float[][] p = new float[len][3 * cb];
      Matmul.matmul(par, inBlocks[l][c0 / channels], u, p, len, 3 * cb, h);
      float[][][] kernels = features == null ? null : new float[][][] {kernels(ly.f1(), l, 0, features[0], c0, cb),
          kernels(ly.f1(), l, 1, features[1], c0, cb), kernels(ly.f2(), l, 2, features[2], c0, cb),
          kernels(ly.f2(), l, 3, features[3], c0, cb)};
      int first = c0;
      par.forRange(cb, (from, to) -> {
        int n2 = 2 * len;
        FloatFFT_1D fft = new FloatFFT_1D(n2);
        float[] a = new float[n2];
        float[] b = new float[n2];
        float[] x2 = new float[len];
        float[] s1 = cached == null ? new float[n2] : null;
        float[] s2 = cached == null ? new float[n2] : null;
        for (int j = from; j < to; j++) {
          int c = first + j;
          for (int t = 0; t < len; t++) {
            float x1 = shortConv(p, j, ly, c, t);
            x2[t] = shortConv(p, cb + j, ly, h + c, t);
            a[t] = shortConv(p, 2 * cb + j, ly, 2 * h + c, t) * x1;
            b[t] = u[t][c];
          }
          float[] k1 = cached != null ? cached[0][c] : spectrum(fft, kernels[0], kernels[1], j, s1);
          float[] k2 = cached != null ? cached[1][c] : spectrum(fft, kernels[2], kernels[3], j, s2);
          float d1 = ly.f1().bias()[c];
          float d2 = ly.f2().bias()[c];
          convolve(fft, a, k1, len);
          convolve(fft, b, k2, len);
          for (int t = 0; t < len; t++) {
            // a and b now hold conv(v) and conv(u) in [0, L); the D terms use v and u themselves
            float v = shortConv(p, 2 * cb + j, ly, 2 * h + c, t) * shortConv(p, j, ly, c, t);
            y[t][c] = (a[t] + d1 * v) * x2[t] + b[t] + d2 * u[t][c];
          }
        }
      });
    }
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

  /** The causal short conv of in_linear channel {@code ch} at {@code t}, its projection in column {@code col} of p. */
  private static float shortConv(float[][] p, int col, M2BertWeights.Layer ly, int ch, int t) {
    float[] sw = ly.shortW();
    float inB = ly.inB()[ch];
    float s = ly.shortB()[ch] + sw[ch * 3 + 2] * (p[t][col] + inB);
    if (t >= 1) {
      s += sw[ch * 3 + 1] * (p[t - 1][col] + inB);
    }
    if (t >= 2) {
      s += sw[ch * 3] * (p[t - 2][col] + inB);
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

  /** The cached spectra {@code [filter][channel][2L]} of layer {@code l}, or null when they are not cached. */
  private float[][][] cachedSpectra(int l) {
    if (spectra == null) {
      return null;
    }
    synchronized (spectra) {
      if (spectra[2 * l] == null) {
        M2BertWeights.Layer ly = w.layers[l];
        spectra[2 * l] = allSpectra(l, 0, ly.f1());
        spectra[2 * l + 1] = allSpectra(l, 1, ly.f2());
      }
      return new float[][][] {spectra[2 * l], spectra[2 * l + 1]};
    }
  }

  /** Every channel's kernel spectrum of one filter ({@code which} 0: filter_fn, 1: filter_fn2). */
  private float[][] allSpectra(int l, int which, M2BertWeights.Filter f) {
    int len = config.maxPositions();
    int h = config.hidden();
    float[][] fwd = features(f, f.fwd());
    float[][] rev = features(f, f.rev());
    float[][] spec = new float[h][];
    for (int c0 = 0; c0 < h; c0 += channels) {
      int cb = Math.min(channels, h - c0);
      float[][] k = kernels(f, l, 2 * which, fwd, c0, cb);
      float[][] kRev = kernels(f, l, 2 * which + 1, rev, c0, cb);
      int first = c0;
      par.forRange(cb, (from, to) -> {
        FloatFFT_1D fft = new FloatFFT_1D(2L * len);
        for (int j = from; j < to; j++) {
          spec[first + j] = spectrum(fft, k, kRev, j, new float[2 * len]);
        }
      });
    }
    return spec;
  }

  /**
   * Into {@code s}: the spectrum (JTransforms' packed real layout) of the length-2L kernel {@code [k[0..L),
   * reverse(k_rev[0..L))]} of block column {@code j}.
   */
  private static float[] spectrum(FloatFFT_1D fft, float[][] k, float[][] kRev, int j, float[] s) {
    int len = k.length;
    for (int t = 0; t < len; t++) {
      s[t] = k[t][j];
      s[len + t] = kRev[len - 1 - t][j];
    }
    fft.realForward(s);
    return s;
  }

  /**
   * The Hyena implicit filter's hidden features {@code [L][O]}: positional features {@code z} through the first
   * three Linear + Sin pairs of one MLP (the last Linear is per channel, {@link #kernels}).
   */
  private float[][] features(M2BertWeights.Filter f, float[][] mlp) {
    int len = config.maxPositions();
    int e = config.embDim();
    int o = config.filterOrder();
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
    return cur;
  }

  /**
   * Channels {@code [c0, c0+cb)} of a filter {@code [L][cb]}: the MLP's last Linear (no bias) on {@code features},
   * then the decay {@code k[t][c] *= exp(-t_t * |delta_c|)}. {@code slot}: 0/1 filter_fn fwd/rev, 2/3 filter_fn2.
   */
  private float[][] kernels(M2BertWeights.Filter f, int l, int slot, float[][] features, int c0, int cb) {
    int len = config.maxPositions();
    float[][] out = new float[len][cb];
    Matmul.matmul(par, lastLinear[l][slot][c0 / channels], features, out, len, cb, config.filterOrder());
    par.forRange(len, (from, to) -> {
      for (int t = from; t < to; t++) {
        float tt = f.t()[t];
        for (int j = 0; j < cb; j++) {
          out[t][j] *= (float) Math.exp(-tt * Math.abs(f.deltas()[c0 + j]));
        }
      }
    });
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
