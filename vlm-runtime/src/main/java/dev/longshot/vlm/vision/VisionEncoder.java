package dev.longshot.vlm.vision;

import static dev.longshot.vlm.tensor.RowOps.add;
import static dev.longshot.vlm.tensor.RowOps.layerNorm;

import dev.longshot.vlm.tensor.FloatTensor;
import dev.longshot.config.VisionPrecision;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.NativeGemm;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.VectorMath;

/**
 * The Idefics3 / SmolVLM vision tower and connector on the runtime's kernels: patch embedding (a strided convolution
 * written as one matrix product over the flattened patches, with bias), plus position embeddings (bucketed when the
 * image has fewer patches than the table), then {@code layers} pre-LayerNorm blocks
 * {@code x += Wo attn(LN1 x) + bo; x += fc2(act(fc1(LN2 x)))} with full (non-causal) softmax attention, then the
 * post-LayerNorm, the {@link PixelShuffle} by {@code scale_factor} and the bias-free projection to the decoder width.
 * With {@link VisionPrecision#BF16} the products (projections, MLP, attention's two, connector) run in bfloat16 where
 * the native GEMM runs ({@link NativeGemm#bf16Products}); with {@link VisionPrecision#F32}, and wherever the Java GEMM
 * runs, in float32. Thread-safe: every call allocates its own activations.
 */
public final class VisionEncoder {
  private final VisionConfig c;
  private final VisionWeights w;
  private final Parallel par;
  /** Fewest tokens per task of the row steps (norms, biases, activation). */
  private static final int ROWS = 16;

  private final VisionPrecision precision;

  public VisionEncoder(VisionConfig config, VisionWeights weights, Parallel parallel, VisionPrecision precision) {
    this.c = config;
    this.w = weights;
    this.par = parallel;
    this.precision = java.util.Objects.requireNonNull(precision, "precision");
  }

  public VisionPrecision precision() {
    return precision;
  }

  public VisionConfig config() {
    return c;
  }

  /**
   * Decoder-width embeddings {@code [tokens][textDim]} of one normalised image, channels first
   * ({@code pixels[ch * height * width + y * width + x]}); height and width are equal multiples of
   * {@code patch_size * scale_factor} and at most {@code image_size}.
   */
  public float[][] encode(float[] pixels, int height, int width) {
    float[][][] result = new float[1][][];
    inPrecision(() -> result[0] = encodeHere(pixels, height, width));
    return result[0];
  }

  private void inPrecision(Runnable body) {
    if (precision == VisionPrecision.BF16) {
      NativeGemm.bf16Products(body);
    } else {
      body.run();
    }
  }

  private float[][] encodeHere(float[] pixels, int height, int width) {
    float[][] x = towerHere(pixels, height, width);
    int side = height / c.patchSize();
    float[][] shuffled = PixelShuffle.apply(x, side, c.dim(), c.scaleFactor());
    float[][] out = new float[shuffled.length][c.textDim()];
    Matmul.matmul(par, w.projection(), shuffled, out, shuffled.length, c.textDim(), c.connectorInputDim());
    return out;
  }

  /** The tower's output after the post-LayerNorm: {@code [patches][dim]}, patches row-major. */
  public float[][] tower(float[] pixels, int height, int width) {
    float[][][] result = new float[1][][];
    inPrecision(() -> result[0] = towerHere(pixels, height, width));
    return result[0];
  }

  private float[][] towerHere(float[] pixels, int height, int width) {
    int p = c.patchSize();
    int quantum = p * c.scaleFactor();
    if (height != width || height % quantum != 0 || height > c.imageSize() || height <= 0) {
      throw new IllegalArgumentException("the vision tower takes a square image whose side is a multiple of "
          + quantum + " up to " + c.imageSize() + ", got " + width + "x" + height);
    }
    if (pixels.length != 3 * height * width) {
      throw new IllegalArgumentException("expected " + 3 * height * width + " pixel values, got " + pixels.length);
    }
    int side = height / p;
    int n = side * side;
    int dim = c.dim();
    float[][] patches = new float[n][c.patchValues()];
    for (int r = 0; r < side; r++) {
      for (int col = 0; col < side; col++) {
        float[] v = patches[r * side + col];
        int i = 0;
        for (int ch = 0; ch < 3; ch++) {
          for (int py = 0; py < p; py++) {
            System.arraycopy(pixels, ch * height * width + (r * p + py) * width + col * p, v, i, p);
            i += p;
          }
        }
      }
    }
    float[][] x = new float[n][dim];
    Matmul.matmul(par, w.patchWeight(), patches, x, n, dim, c.patchValues());
    int[] ids = positionIds(c.patchesPerSide(), side, side);
    par.forRange(n, ROWS, (from, to) -> {
      float[] pos = new float[dim];
      for (int t = from; t < to; t++) {
        w.positions().copyTo((long) ids[t] * dim, pos, 0, dim);
        for (int i = 0; i < dim; i++) {
          x[t][i] += w.patchBias()[i] + pos[i];
        }
      }
    });
    Buffers b = new Buffers(c, n);
    for (VisionWeights.Layer l : w.layers()) {
      layer(l, x, n, b);
    }
    rows(n, t -> layerNorm(x[t], x[t], w.postNormWeight(), w.postNormBias(), c.layerNormEps()));
    return x;
  }

  /** Row steps on all threads: {@code step} for every token {@code t < n}. */
  private void rows(int n, java.util.function.IntConsumer step) {
    par.forRange(n, ROWS, (from, to) -> {
      for (int t = from; t < to; t++) {
        step.accept(t);
      }
    });
  }

  private void layer(VisionWeights.Layer l, float[][] x, int n, Buffers b) {
    int dim = c.dim();
    rows(n, t -> layerNorm(b.xb[t], x[t], l.norm1Weight(), l.norm1Bias(), c.layerNormEps()));
    Matmul.matmul(par, b.xb, n, dim, new Matmul.Job(l.wq(), b.q, dim), new Matmul.Job(l.wk(), b.k, dim),
        new Matmul.Job(l.wv(), b.v, dim));
    rows(n, t -> {
      add(b.q[t], l.bq());
      add(b.k[t], l.bk());
      add(b.v[t], l.bv());
    });
    attention(b, n);
    Matmul.matmul(par, l.wo(), b.att, b.xb, n, dim, dim);
    rows(n, t -> {
      add(b.xb[t], l.bo());
      add(x[t], b.xb[t]);
      layerNorm(b.xb[t], x[t], l.norm2Weight(), l.norm2Bias(), c.layerNormEps());
    });
    Matmul.matmul(par, l.fc1(), b.xb, b.h, n, c.hiddenDim(), dim);
    rows(n, t -> {
      add(b.h[t], l.fc1Bias());
      c.activation().apply(b.h[t], c.hiddenDim());
    });
    Matmul.matmul(par, l.fc2(), b.h, b.xb, n, dim, c.hiddenDim());
    rows(n, t -> {
      add(b.xb[t], l.fc2Bias());
      add(x[t], b.xb[t]);
    });
  }

  /**
   * {@code att[t] = softmax(q[t] K^T / sqrt(hd)) V} per head, every token sees every token. Both products go through
   * the register-blocked {@link Matmul} kernel: the head's keys are a {@code [n][hd]} matrix ({@code S = Q K^T}), its
   * values transposed a {@code [hd][n]} one ({@code O = P V}); the {@code n x n} probabilities of one head at a time.
   * With bf16 precision where the native GEMM runs, all heads at once on it instead ({@link NativeGemm#attendBf16}).
   */
  private void attention(Buffers b, int n) {
    int hd = c.headDim();
    float scale = (float) (1.0 / Math.sqrt(hd));
    if (precision == VisionPrecision.BF16 && NativeGemm.attendBf16(par, b.q, b.k, b.v, b.att, n, c.heads(), hd,
        scale)) {
      return;
    }
    float[] keys = new float[n * hd];
    float[] valuesT = new float[hd * n];
    for (int h = 0; h < c.heads(); h++) {
      int off = h * hd;
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < hd; i++) {
          b.qh[t][i] = b.q[t][off + i] * scale;
          valuesT[i * n + t] = b.v[t][off + i];
        }
        System.arraycopy(b.k[t], off, keys, t * hd, hd);
      }
      Matmul.matmul(par, FloatTensor.of(keys), b.qh, b.scores, n, n, hd);
      par.forRange(n, 16, (from, to) -> {
        for (int t = from; t < to; t++) {
          float[] row = b.scores[t];
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < n; j++) {
            max = Math.max(max, row[j]);
          }
          VectorMath.scale(1f / VectorMath.expShifted(row, n, max), row, 0, n);
        }
      });
      Matmul.matmul(par, FloatTensor.of(valuesT), b.scores, b.oh, n, hd, n);
      for (int t = 0; t < n; t++) {
        System.arraycopy(b.oh[t], 0, b.att[t], off, hd);
      }
    }
  }

  /**
   * Position-table rows for a {@code rows x cols} patch grid when the table is {@code side x side}: HF's
   * {@code bucketize(arange(0, 1 - 1e-6, 1/rows), arange(1/side, 1, 1/side), right=True)} per axis, with torch's
   * float32 {@code arange} (values computed in double, then rounded); the identity for a full image.
   */
  static int[] positionIds(int side, int rows, int cols) {
    float[] boundaries = new float[side - 1];
    for (int i = 0; i < boundaries.length; i++) {
      boundaries[i] = (float) (1.0 / side + i * (1.0 / side));
    }
    int[] br = buckets(boundaries, rows);
    int[] bc = buckets(boundaries, cols);
    int[] ids = new int[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        ids[r * cols + col] = br[r] * side + bc[col];
      }
    }
    return ids;
  }

  private static int[] buckets(float[] boundaries, int count) {
    int[] out = new int[count];
    for (int j = 0; j < count; j++) {
      float coord = (float) (j * (1.0 / count));
      int k = 0;
      while (k < boundaries.length && boundaries[k] <= coord) {
        k++;
      }
      out[j] = k;
    }
    return out;
  }

  /** Activations of one image. */
  private static final class Buffers {
    final float[][] xb;
    final float[][] q;
    final float[][] k;
    final float[][] v;
    final float[][] att;
    final float[][] h;
    final float[][] qh;
    final float[][] scores;
    final float[][] oh;

    Buffers(VisionConfig c, int n) {
      qh = new float[n][c.headDim()];
      scores = new float[n][n];
      oh = new float[n][c.headDim()];
      xb = new float[n][c.dim()];
      q = new float[n][c.dim()];
      k = new float[n][c.dim()];
      v = new float[n][c.dim()];
      att = new float[n][c.dim()];
      h = new float[n][c.hiddenDim()];
    }
  }
}
