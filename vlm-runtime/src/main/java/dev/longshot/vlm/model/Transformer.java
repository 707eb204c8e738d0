package dev.longshot.vlm.model;

import static dev.longshot.vlm.tensor.RowOps.add;
import static dev.longshot.vlm.tensor.RowOps.addBias;
import static dev.longshot.vlm.tensor.RowOps.rmsNorm;

import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.tensor.Matmul;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.tensor.VectorMath;

/**
 * The forward pass of a pre-norm decoder (Llama / Qwen2): per block {@code x += Wo·attn(rope(Wq·n(x)), rope(Wk·n(x)),
 * Wv·n(x))} then {@code x += Wdown·(silu(Wgate·n(x)) * Wup·n(x))} with {@code n} = RMSNorm; logits =
 * {@code Wout·n(x)}. Attention goes through {@link AttentionStrategies} and a {@link KvCache}, never inline, so
 * sparse prefill and compressed caches plug in here. Thread-safe if each caller brings its own cache.
 */
public final class Transformer {
  private final ModelConfig c;
  private final ModelWeights w;
  private final Parallel par;
  private final Rope rope;
  private final AttentionShape shape;

  /** Builds the weights' decode layouts on {@code parallel}'s threads ({@link DecodeLayouts}) if not built yet. */
  public Transformer(ModelConfig config, ModelWeights weights, Parallel parallel) {
    this.c = config;
    this.w = weights;
    this.par = parallel;
    this.rope = new Rope(config);
    this.shape = new AttentionShape(config.heads(), config.kvHeads(), config.headDim());
    DecodeLayouts.build(config, weights, parallel);
  }

  public ModelConfig config() {
    return c;
  }

  public AttentionShape shape() {
    return shape;
  }

  /**
   * Runs {@code tokens[0..count)} at absolute positions {@code startPosition..}, appending their keys and values to
   * {@code cache}. One token uses the decode strategy, more the prefill strategy. Returns the logits of the last
   * token ({@code vocabSize} floats) if {@code wantLogits}, else null.
   */
  public float[] forward(int[] tokens, int count, int startPosition, KvCache cache, AttentionStrategies attention,
      boolean wantLogits) {
    return forward(tokens, count, startPosition, cache, attention, null, wantLogits);
  }

  /**
   * {@link #forward(int[], int, int, KvCache, AttentionStrategies, boolean)} whose prefill batches report their
   * attention rows to {@code observer} (nullable), e.g. to score cache entries for compression.
   */
  public float[] forward(int[] tokens, int count, int startPosition, KvCache cache, AttentionStrategies attention,
      AttentionObserver observer, boolean wantLogits) {
    if (count < 1 || count > tokens.length) {
      throw new IllegalArgumentException("count must be 1.." + tokens.length + ", got " + count);
    }
    float[][] x = new float[count][];
    for (int t = 0; t < count; t++) {
      x[t] = embed(tokens[t]);
    }
    return forward(x, count, startPosition, cache, attention, observer, wantLogits);
  }

  /** The input embedding of {@code token} (a fresh array of {@code dim} floats). */
  public float[] embed(int token) {
    if (token < 0 || token >= c.vocabSize()) {
      throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (" + c.vocabSize() + ")");
    }
    float[] e = new float[c.dim()];
    w.tokenEmbedding().copyTo((long) token * c.dim(), e, 0, c.dim());
    return e;
  }

  /**
   * Like {@link #forward(int[], int, int, KvCache, AttentionStrategies, boolean)} but from input embeddings
   * {@code x[0..count)} of {@code dim} floats each (token embeddings, or vision embeddings spliced in by a
   * multimodal prompt). The rows of {@code x} are overwritten (they become the residual stream).
   */
  public float[] forward(float[][] x, int count, int startPosition, KvCache cache, AttentionStrategies attention,
      boolean wantLogits) {
    return forward(x, count, startPosition, cache, attention, null, wantLogits);
  }

  /**
   * {@link #forward(float[][], int, int, KvCache, AttentionStrategies, boolean)} whose prefill batches report their
   * attention rows to {@code observer} (nullable).
   */
  public float[] forward(float[][] x, int count, int startPosition, KvCache cache, AttentionStrategies attention,
      AttentionObserver observer, boolean wantLogits) {
    if (count < 1 || count > x.length) {
      throw new IllegalArgumentException("count must be 1.." + x.length + ", got " + count);
    }
    int dim = c.dim();
    int[] positions = new int[count];
    for (int t = 0; t < count; t++) {
      if (x[t].length != dim) {
        throw new IllegalArgumentException("input embedding " + t + " has " + x[t].length + " values, expected "
            + dim);
      }
      positions[t] = startPosition + t;
    }
    float[][] ropeTables = new float[count][];
    for (int t = 0; t < count; t++) {
      ropeTables[t] = rope.table(positions[t]);
    }
    Buffers b = new Buffers(c, count);
    for (int l = 0; l < c.layers(); l++) {
      attentionBlock(l, x, positions, ropeTables, count, cache, attention, observer, b);
      feedForwardBlock(l, x, count, b);
    }
    if (!wantLogits) {
      return null;
    }
    float[] last = new float[dim];
    rmsNorm(last, x[count - 1], w.outputNorm(), c.rmsEps());
    float[] logits = new float[c.vocabSize()];
    Matmul.matvec(par, w.output(), last, logits, c.vocabSize(), dim);
    return logits;
  }

  private void attentionBlock(int l, float[][] x, int[] positions, float[][] ropeTables, int n, KvCache cache,
      AttentionStrategies attention, AttentionObserver observer, Buffers b) {
    LayerWeights lw = w.layers()[l];
    int dim = c.dim();
    for (int t = 0; t < n; t++) {
      rmsNorm(b.xb[t], x[t], lw.attnNorm(), c.rmsEps());
    }
    Matmul.matmul(par, b.xb, n, dim, new Matmul.Job(lw.wq(), b.q, c.qDim()), new Matmul.Job(lw.wk(), b.k, c.kvDim()),
        new Matmul.Job(lw.wv(), b.v, c.kvDim()));
    for (int t = 0; t < n; t++) {
      addBias(b.q[t], lw.bq());
      addBias(b.k[t], lw.bk());
      addBias(b.v[t], lw.bv());
      rope.apply(b.q[t], c.heads(), ropeTables[t]);
      rope.apply(b.k[t], c.kvHeads(), ropeTables[t]);
      cache.append(l, positions[t], b.k[t], b.v[t]);
    }
    if (n == 1 && observer == null) { // an observed one-token prefill chunk still reports its row
      attention.decode().attend(shape, l, b.q[0], positions[0], cache, b.att[0], par);
    } else {
      attention.prefill().attend(new PrefillBatch(shape, l, b.q, positions, n, b.att, observer), cache, par);
    }
    Matmul.matmul(par, lw.wo(), b.att, b.xb, n, dim, c.qDim());
    for (int t = 0; t < n; t++) {
      add(x[t], b.xb[t]);
    }
  }

  private void feedForwardBlock(int l, float[][] x, int n, Buffers b) {
    LayerWeights lw = w.layers()[l];
    int dim = c.dim();
    for (int t = 0; t < n; t++) {
      rmsNorm(b.xb[t], x[t], lw.ffnNorm(), c.rmsEps());
    }
    Matmul.matmul(par, b.xb, n, dim, new Matmul.Job(lw.wGate(), b.h1, c.hiddenDim()),
        new Matmul.Job(lw.wUp(), b.h2, c.hiddenDim()));
    for (int t = 0; t < n; t++) {
      VectorMath.siluMul(b.h1[t], b.h2[t], c.hiddenDim());
    }
    Matmul.matmul(par, lw.wDown(), b.h1, b.xb, n, dim, c.hiddenDim());
    for (int t = 0; t < n; t++) {
      add(x[t], b.xb[t]);
    }
  }

  /** Activations of one forward call, {@code [token][width]}. */
  private static final class Buffers {
    final float[][] xb;
    final float[][] q;
    final float[][] k;
    final float[][] v;
    final float[][] att;
    final float[][] h1;
    final float[][] h2;

    Buffers(ModelConfig c, int n) {
      xb = new float[n][c.dim()];
      q = new float[n][c.qDim()];
      k = new float[n][c.kvDim()];
      v = new float[n][c.kvDim()];
      att = new float[n][c.qDim()];
      h1 = new float[n][c.hiddenDim()];
      h2 = new float[n][c.hiddenDim()];
    }
  }
}
