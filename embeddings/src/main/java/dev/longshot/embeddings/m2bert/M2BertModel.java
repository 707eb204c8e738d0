package dev.longshot.embeddings.m2bert;

import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
   * filter kernels are the only per-channel state held, about {@code L x 14 x channels} floats). {@code
   * filterCacheBytes}: the filter spectra (they depend only on the weights, since every input has length L) of as
   * many layers as fit, from the first, are kept between calls; the other layers' are computed block by block when
   * they are mixed.
   */
  public record Blocking(int channels, long filterCacheBytes) {
    /**
     * 64 channels; spectra cached up to 512 MB (per layer: 25 MB for the 2k model, so all 12 layers; 101 MB for
     * the 8k, 5 layers; 403 MB for the 32k, 1 layer).
     */
    public static final Blocking DEFAULT = new Blocking(64, 512L << 20);

    public Blocking {
      if (channels < 1 || filterCacheBytes < 0) {
        throw new IllegalArgumentException("channels must be >= 1 and filterCacheBytes >= 0, got " + channels + ", "
            + filterCacheBytes);
      }
    }
  }
  /** The forward's steps, for {@link #profile}. */
  public enum Stage {
    EMBEDDINGS("embeddings + LayerNorm"),
    IN_LINEAR("in_linear (dense 3H x H)"),
    SHORT_CONV_GATES("short conv, gates, D terms"),
    FILTERS("implicit filters + their FFTs"),
    LONG_CONV_FFT("long convs (FFT, x, inverse)"),
    OUT_LINEAR("out_linear (dense H x H)"),
    MLP_MATMUL("Monarch MLP block-diag matmuls"),
    MLP_GELU_GATE("GELU x gate"),
    RESIDUAL_NORM("residual + LayerNorm"),
    POOLER("pooler");

    private final String label;

    Stage(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int MLP_ROWS = 256;
  /** Fewest rows per parallel chunk of the row-wise steps. */
  private static final int TILE_ROWS = 16;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static {
    // channels already run in parallel; JTransforms' own threads would only oversubscribe the cores
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final M2BertConfig config;
  private final M2BertWeights w;
  private final Parallel par;
  private final int channels;
  private final FloatTensor[][] inBlocks; // [layer][channel block]: in_linear rows of x1, x2, v for the block
  private final float[][][][] lastRows; // [layer][slot: f1 fwd, f1 rev, f2 fwd, f2 rev][channel][order]
  private final float[][][] shortTaps; // [layer][tap 0, 1, 2, folded bias][3H]
  private final ConcurrentLinkedQueue<FloatFFT_1D> ffts = new ConcurrentLinkedQueue<>();
  private volatile long[] profile;
  private final FloatTensor[] outW;
  private final FloatTensor[][] gated;
  private final FloatTensor[][] wo;
  private final FloatTensor poolW;
  private final float[][][] spectra; // [layer*2 + filter][channel][2L], filled for the first cachedLayers layers
  private final int cachedLayers;

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
    lastRows = new float[n][4][h][];
    shortTaps = new float[n][4][3 * h];
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
      }
      float[][] last = {ly.f1().fwd()[6], ly.f1().rev()[6], ly.f2().fwd()[6], ly.f2().rev()[6]};
      for (int slot = 0; slot < 4; slot++) {
        for (int c = 0; c < h; c++) {
          lastRows[l][slot][c] = Arrays.copyOfRange(last[slot], c * o, (c + 1) * o);
        }
      }
      // short conv taps split out per channel, with in_linear's bias folded into one constant for t >= 2
      float[][] taps = shortTaps[l];
      for (int ch = 0; ch < 3 * h; ch++) {
        for (int k = 0; k < 3; k++) {
          taps[k][ch] = ly.shortW()[ch * 3 + k];
        }
        taps[3][ch] = ly.shortB()[ch] + ly.inB()[ch] * (taps[0][ch] + taps[1][ch] + taps[2][ch]);
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
    long layerBytes = 2L * h * 2L * config.maxPositions() * Float.BYTES;
    cachedLayers = (int) Math.min(n, blocking.filterCacheBytes() / layerBytes);
    spectra = new float[2 * n][][];
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

  /** How many layers' filter spectra are kept between forwards ({@link Blocking#filterCacheBytes()}). */
  public int cachedLayers() {
    return cachedLayers;
  }

  /** Token ids the embedding table holds ({@code vocab_size}); every id fed to it is below this. */
  public int vocabSize() {
    return config.vocab();
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
    float[][] x = encode(ids);
    long clk = clock();
    float[] out = pool(x[0]);
    charge(Stage.POOLER, clk);
    return out;
  }

  /** Last hidden states, {@code [L][H]}. */
  float[][] encode(int[] ids) {
    int len = config.maxPositions();
    int h = config.hidden();
    if (ids.length != len) {
      throw new IllegalArgumentException("M2-BERT reads exactly " + len + " ids (padded), got " + ids.length);
    }
    long clk = clock();
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
    charge(Stage.EMBEDDINGS, clk);
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
    long clk = clock();
    // sequence mixer (in_linear, causal short depthwise conv, gates, two bidirectional long convs), channels at a
    // time: every step is per channel, so only a block's projections and kernels are ever held, O(L * channels)
    float[][] y = new float[len][h];
    float[][][] cached = cachedSpectra(l);
    float[][] features = cached == null ? new float[][] {features(ly.f1(), ly.f1().fwd()), features(ly.f1(),
        ly.f1().rev()), features(ly.f2(), ly.f2().fwd()), features(ly.f2(), ly.f2().rev())} : null;
    clk = charge(Stage.FILTERS, clk);
    float[][] taps = shortTaps[l];
    for (int c0 = 0; c0 < h; c0 += channels) {
      int cb = Math.min(channels, h - c0);
      int first = c0;
      float[][] p = new float[len][3 * cb];
      Matmul.matmul(par, inBlocks[l][c0 / channels], u, p, len, 3 * cb, h);
      clk = charge(Stage.IN_LINEAR, clk);
      // gates row by row (vectorised across the block's channels); v and u also stored channel-major, each row
      // 2L long so the FFT runs in place
      float[][] v = new float[len][cb];
      float[][] x2 = new float[len][cb];
      float[][] vT = new float[cb][2 * len];
      float[][] uT = new float[cb][2 * len];
      par.forRange(len, TILE_ROWS, (from, to) -> {
        for (int t = from; t < to; t++) {
          gates(p, t, cb, first, h, ly, taps, v[t], x2[t]);
          float[] vr = v[t];
          float[] ur = u[t];
          for (int j = 0; j < cb; j++) {
            vT[j][t] = vr[j];
            uT[j][t] = ur[first + j];
          }
        }
      });
      clk = charge(Stage.SHORT_CONV_GATES, clk);
      float[][][] spec;
      if (cached != null) {
        spec = new float[][][] {Arrays.copyOfRange(cached[0], c0, c0 + cb), Arrays.copyOfRange(cached[1], c0, c0 + cb)};
      } else {
        spec = new float[][][] {blockSpectra(ly.f1(), l, 0, features[0], features[1], c0, cb),
            blockSpectra(ly.f2(), l, 2, features[2], features[3], c0, cb)};
        clk = charge(Stage.FILTERS, clk);
      }
      par.forRange(cb, (from, to) -> {
        FloatFFT_1D fft = takeFft();
        for (int j = from; j < to; j++) {
          convolve(fft, vT[j], spec[0][j], len);
          convolve(fft, uT[j], spec[1][j], len);
        }
        ffts.add(fft);
      });
      clk = charge(Stage.LONG_CONV_FFT, clk);
      float[] d1 = ly.f1().bias();
      float[] d2 = ly.f2().bias();
      par.forRange(len, TILE_ROWS, (from, to) -> {
        for (int t = from; t < to; t++) {
          // vT and uT now hold conv(v) and conv(u) in [0, L); the D terms use v and u themselves
          float[] yr = y[t];
          float[] vr = v[t];
          float[] xr = x2[t];
          float[] ur = u[t];
          for (int j = 0; j < cb; j++) {
            int c = first + j;
            yr[c] = (vT[j][t] + d1[c] * vr[j]) * xr[j] + uT[j][t] + d2[c] * ur[c];
          }
        }
      });
      clk = charge(Stage.SHORT_CONV_GATES, clk);
    }
    float[][] mixed = new float[len][h];
    Matmul.matmul(par, outW[l], y, mixed, len, h, h);
    addBias(mixed, ly.outB());
    clk = charge(Stage.OUT_LINEAR, clk);
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
      clk = charge(Stage.MLP_MATMUL, clk);
      float[][] act = new float[rows][inter];
      par.forRange(rows, TILE_ROWS, (from, to) -> {
        for (int r = from; r < to; r++) {
          geluGate(hg[r], inter, act[r]);
        }
      });
      clk = charge(Stage.MLP_GELU_GATE, clk);
      float[][] o = new float[rows][h];
      blockDiag(wo[l], act, 0, rows, ib, hb, o);
      clk = charge(Stage.MLP_MATMUL, clk);
      int base = r0;
      par.forRange(rows, TILE_ROWS, (from, to) -> {
        for (int r = from; r < to; r++) {
          float[] row = o[r];
          add(row, mixed[base + r], ly.woB());
          layerNorm(row, ly.lnW(), ly.lnB(), config.layerNormEps());
          out[base + r] = row;
        }
      });
      clk = charge(Stage.RESIDUAL_NORM, clk);
    }
    return out;
  }

  /**
   * Row {@code t} of the block's gates: the causal short conv of the three in_linear groups (x1, x2, v) of channels
   * {@code [c0, c0+cb)}, whose projections (without in_linear's bias) are columns {@code [g*cb, (g+1)*cb)} of
   * {@code p}; {@code vOut = v * x1}, {@code x2Out = x2}. From {@code t = 2} on the bias terms are folded into
   * {@code taps[3]} and the channels run as vectors.
   */
  private static void gates(float[][] p, int t, int cb, int c0, int h, M2BertWeights.Layer ly, float[][] taps,
      float[] vOut, float[] x2Out) {
    if (t < 2) {
      for (int j = 0; j < cb; j++) {
        float x1 = shortConv(p, j, ly, c0 + j, t);
        x2Out[j] = shortConv(p, cb + j, ly, h + c0 + j, t);
        vOut[j] = shortConv(p, 2 * cb + j, ly, 2 * h + c0 + j, t) * x1;
      }
      return;
    }
    float[] p0 = p[t];
    float[] p1 = p[t - 1];
    float[] p2 = p[t - 2];
    float[] w0 = taps[0];
    float[] w1 = taps[1];
    float[] w2 = taps[2];
    float[] cst = taps[3];
    int j = 0;
    int bound = F.loopBound(cb);
    for (; j < bound; j += F.length()) {
      int c = c0 + j;
      FloatVector x1 = conv3(p0, p1, p2, j, w0, w1, w2, cst, c);
      FloatVector xx = conv3(p0, p1, p2, cb + j, w0, w1, w2, cst, h + c);
      FloatVector vv = conv3(p0, p1, p2, 2 * cb + j, w0, w1, w2, cst, 2 * h + c);
      xx.intoArray(x2Out, j);
      vv.mul(x1).intoArray(vOut, j);
    }
    for (; j < cb; j++) {
      int c = c0 + j;
      float x1 = cst[c] + w2[c] * p0[j] + w1[c] * p1[j] + w0[c] * p2[j];
      int cx = h + c;
      x2Out[j] = cst[cx] + w2[cx] * p0[cb + j] + w1[cx] * p1[cb + j] + w0[cx] * p2[cb + j];
      int cv = 2 * h + c;
      vOut[j] = (cst[cv] + w2[cv] * p0[2 * cb + j] + w1[cv] * p1[2 * cb + j] + w0[cv] * p2[2 * cb + j]) * x1;
    }
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

  private static FloatVector conv3(float[] p0, float[] p1, float[] p2, int col, float[] w0, float[] w1, float[] w2,
      float[] cst, int ch) {
    FloatVector s = FloatVector.fromArray(F, cst, ch);
    s = FloatVector.fromArray(F, p0, col).fma(FloatVector.fromArray(F, w2, ch), s);
    s = FloatVector.fromArray(F, p1, col).fma(FloatVector.fromArray(F, w1, ch), s);
    return FloatVector.fromArray(F, p2, col).fma(FloatVector.fromArray(F, w0, ch), s);
  }

  /** {@code act[j] = gelu(hg[j]) * hg[inter + j]} with the Vector API (erf as in {@link #erf}). */
  static void geluGate(float[] hg, int inter, float[] act) {
    int j = 0;
    int bound = F.loopBound(inter);
    for (; j < bound; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, hg, j);
      FloatVector ax = x.abs().mul(0.70710678f);
      FloatVector t = ax.mul(0.3275911f).add(1f);
      t = FloatVector.broadcast(F, 1f).div(t);
      FloatVector poly = t.mul(1.061405429f).add(-1.453152027f).mul(t).add(1.421413741f).mul(t).add(-0.284496736f)
          .mul(t).add(0.254829592f).mul(t);
      FloatVector e = ax.mul(ax).neg().lanewise(VectorOperators.EXP);
      FloatVector erfAbs = FloatVector.broadcast(F, 1f).sub(poly.mul(e));
      // gelu(x) = 0.5 x (1 + erf(x / sqrt 2)); erf is odd, so x * erf(x/sqrt2) = |x| * erf(|x|/sqrt2)
      FloatVector g = x.add(x.abs().mul(erfAbs)).mul(0.5f);
      g.mul(FloatVector.fromArray(F, hg, inter + j)).intoArray(act, j);
    }
    for (; j < inter; j++) {
      act[j] = gelu(hg[j]) * hg[inter + j];
    }
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

  /** The cached spectra {@code [filter][channel][2L]} of layer {@code l}, or null when it is not cached. */
  private float[][][] cachedSpectra(int l) {
    if (l >= cachedLayers) {
      return null;
    }
    synchronized (spectra) {
      if (spectra[2 * l] == null) {
        M2BertWeights.Layer ly = w.layers[l];
        spectra[2 * l] = allSpectra(l, 0, ly.f1());
        spectra[2 * l + 1] = allSpectra(l, 2, ly.f2());
      }
      return new float[][][] {spectra[2 * l], spectra[2 * l + 1]};
    }
  }

  /** Every channel's kernel spectrum of one filter ({@code slot} 0: filter_fn, 2: filter_fn2). */
  private float[][] allSpectra(int l, int slot, M2BertWeights.Filter f) {
    int h = config.hidden();
    float[] fwd = features(f, f.fwd());
    float[] rev = features(f, f.rev());
    float[][] spec = new float[h][];
    for (int c0 = 0; c0 < h; c0 += channels) {
      int cb = Math.min(channels, h - c0);
      System.arraycopy(blockSpectra(f, l, slot, fwd, rev, c0, cb), 0, spec, c0, cb);
    }
    return spec;
  }

  /**
   * The spectra {@code [cb][2L]} (JTransforms' packed real layout) of channels {@code [c0, c0+cb)} of one filter:
   * the MLP's last Linear (no bias) on the forward and reverse {@code features}, computed channel-major (the
   * features are the matrix, the channels' weight rows the operands), the decay {@code exp(-t_t * |delta_c|)}, and
   * the length-2L kernel {@code [k[0..L), reverse(k_rev[0..L))]} transformed in place. {@code slot}: 0 filter_fn,
   * 2 filter_fn2.
   */
  private float[][] blockSpectra(M2BertWeights.Filter f, int l, int slot, float[] fwd, float[] rev, int c0, int cb) {
    int len = config.maxPositions();
    int o = config.filterOrder();
    float[][] k = new float[cb][2 * len];
    float[][] kRev = new float[cb][len];
    Matmul.matmul(par, FloatTensor.of(fwd), Arrays.copyOfRange(lastRows[l][slot], c0, c0 + cb), k, cb, len, o);
    Matmul.matmul(par, FloatTensor.of(rev), Arrays.copyOfRange(lastRows[l][slot + 1], c0, c0 + cb), kRev, cb, len, o);
    float[] time = f.t();
    par.forRange(cb, (from, to) -> {
      FloatFFT_1D fft = takeFft();
      for (int j = from; j < to; j++) {
        float[] s = k[j];
        float[] r = kRev[j];
        float decay = -Math.abs(f.deltas()[c0 + j]);
        int t = 0;
        int bound = F.loopBound(len);
        for (; t < bound; t += F.length()) {
          FloatVector m = FloatVector.fromArray(F, time, t).mul(decay).lanewise(VectorOperators.EXP);
          FloatVector.fromArray(F, s, t).mul(m).intoArray(s, t);
          FloatVector.fromArray(F, r, t).mul(m).intoArray(r, t);
        }
        for (; t < len; t++) {
          float m = (float) Math.exp(time[t] * decay);
          s[t] *= m;
          r[t] *= m;
        }
        for (t = 0; t < len; t++) {
          s[len + t] = r[len - 1 - t];
        }
        fft.realForward(s);
      }
      ffts.add(fft);
    });
    return k;
  }

  /**
   * The Hyena implicit filter's hidden features {@code [L][O]} (flat): positional features {@code z} through the
   * first three Linear + Sin pairs of one MLP (the last Linear is per channel, {@link #blockSpectra}).
   */
  private float[] features(M2BertWeights.Filter f, float[][] mlp) {
    int len = config.maxPositions();
    int e = config.embDim();
    int o = config.filterOrder();
    float[][] z = new float[len][];
    for (int t = 0; t < len; t++) {
      z[t] = Arrays.copyOfRange(f.z(), t * e, (t + 1) * e);
    }
    float[][] cur = z;
    int cols = e;
    float[] scale = new float[o];
    for (int i = 0; i < o; i++) {
      scale[i] = (float) config.sinWMod() * f.freq()[i];
    }
    for (int j = 0; j < 6; j += 2) {
      float[][] next = new float[len][o];
      Matmul.matmul(par, FloatTensor.of(mlp[j]), cur, next, len, o, cols);
      float[] bias = mlp[j + 1];
      par.forRange(len, TILE_ROWS, (from, to) -> {
        for (int t = from; t < to; t++) {
          float[] row = next[t];
          int i = 0;
          for (int bound = F.loopBound(o); i < bound; i += F.length()) {
            FloatVector.fromArray(F, row, i).add(FloatVector.fromArray(F, bias, i))
                .mul(FloatVector.fromArray(F, scale, i)).lanewise(VectorOperators.SIN).intoArray(row, i);
          }
          for (; i < o; i++) {
            row[i] = (float) Math.sin(scale[i] * (row[i] + bias[i]));
          }
        }
      });
      cur = next;
      cols = o;
    }
    float[] flat = new float[len * o];
    for (int t = 0; t < len; t++) {
      System.arraycopy(cur[t], 0, flat, t * o, o);
    }
    return flat;
  }

  /** A length-2L real FFT plan from the pool (plans are costly to build); return it with {@code ffts.add}. */
  private FloatFFT_1D takeFft() {
    FloatFFT_1D fft = ffts.poll();
    return fft != null ? fft : new FloatFFT_1D(2L * config.maxPositions());
  }

  /** Process CPU nanoseconds when profiling, else 0. */
  private long clock() {
    return profile == null ? 0 : OS.getProcessCpuTime();
  }

  /** Adds the CPU time since {@code since} to {@code stage} when profiling; returns the new mark. */
  private long charge(Stage stage, long since) {
    long[] p = profile;
    if (p == null) {
      return 0;
    }
    long now = OS.getProcessCpuTime();
    synchronized (p) {
      p[stage.ordinal()] += now - since;
    }
    return now;
  }

  /**
   * Starts (or, with false, stops) charging the process CPU time of each forward step to its {@link Stage}, from
   * zero. Meant for one caller at a time (a benchmark): concurrent forwards would charge each other's time.
   */
  public void profile(boolean on) {
    profile = on ? new long[Stage.values().length] : null;
  }

  /** Process CPU seconds per stage since {@link #profile} was turned on (empty when it is off). */
  public Map<Stage, Double> profileSeconds() {
    long[] p = profile;
    Map<Stage, Double> out = new EnumMap<>(Stage.class);
    if (p != null) {
      synchronized (p) {
        for (Stage s : Stage.values()) {
          out.put(s, p[s.ordinal()] / 1e9);
        }
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
