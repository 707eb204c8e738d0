package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.tensor.Kernels;
import dev.longshot.vlm.tensor.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Runs a {@link SparsePlan} for one head: each {@link RowTask} gathers its (up to 64) query rows into a dense tile,
 * then for every 64-key chunk of each span gathers and transposes the keys, computes the 64x64 score tile
 * {@code S = (Q/sqrt(d)) K^T} with the Vector API (2 rows x 2 vectors of keys in registers), and folds it into the
 * rows' online-softmax state {@code (m, l, acc)}: {@code m' = max(m, max_j S_ij)}, {@code l' = l e^{m-m'} + sum_j
 * e^{S_ij-m'}}, {@code acc' = acc e^{m-m'} + sum_j e^{S_ij-m'} v_j}. The first pass writes the state; each later
 * pass computes a fresh partial state and merges it by log-sum-exp. Tasks of one pass run on all threads of the
 * {@link Parallel}. Keys are cache entries indexed by position (the prefill cache is never compressed). Stateless
 * and thread-safe; {@code -Dlongshot.vlm.scalar=true} runs the scalar twin of the tile products.
 */
public final class BlockSparseKernel {
  /** Rows per query tile and keys per key tile (MMInference's 64x64 blocks). */
  public static final int BLOCK = 64;

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final boolean VECTOR_TILES = Kernels.VECTORIZED && BLOCK % (2 * F.length()) == 0;

  /**
   * One head's operands: the query of batch row {@code t} (position {@code q0 + t}) is {@code q[t][qOffset ..
   * qOffset + headDim)}; key/value of position {@code j} at {@code keys[j * headDim]} / {@code values[j * headDim]}.
   */
  public record HeadInput(float[][] q, int qOffset, int q0, float[] keys, float[] values, int headDim,
      float scale) {}

  private BlockSparseKernel() {}

  /**
   * Computes the rows of {@code plan} into {@code out[t][outOffset ..]} and returns how many 64x64 blocks it
   * computed (a tile of fewer than 64 keys counts as that fraction of a block). If {@code keyMass} is not null, adds to {@code keyMass[j]} the final softmax weight that every row
   * gives key {@code j} through the computed tiles (a second scan of the tiles).
   */
  public static double run(SparsePlan plan, HeadInput in, float[][] out, int outOffset, Parallel par,
      float[] keyMass) {
    return run(plan, in, out, outOffset, par, keyMass, null);
  }

  /**
   * Like {@link #run(SparsePlan, HeadInput, float[][], int, Parallel, float[])}, and if {@code lse} is not null
   * writes each row's {@code log sum_j exp(S_ij)} over its kept keys to {@code lse[row - q0]}: with the dense
   * value, {@code exp(lse_sparse - lse_dense)} is the softmax mass the pattern keeps (its attention recall).
   */
  public static double run(SparsePlan plan, HeadInput in, float[][] out, int outOffset, Parallel par,
      float[] keyMass, float[] lse) {
    int n = plan.q1() - plan.q0();
    int d = in.headDim();
    float[] m = new float[n];
    float[] l = new float[n];
    float[] acc = new float[n * d];
    Arrays.fill(m, Float.NEGATIVE_INFINITY);
    long[] tiles = new long[1];
    for (int p = 0; p < plan.passes().size(); p++) {
      RowTask[] pass = plan.passes().get(p);
      boolean merge = p > 0;
      par.forRange(pass.length, 1, (from, to) -> {
        Scratch sc = new Scratch(d);
        long count = 0;
        for (int t = from; t < to; t++) {
          count += runTask(pass[t], in, plan.q0(), m, l, acc, merge, sc);
        }
        synchronized (tiles) {
          tiles[0] += count;
        }
      });
    }
    for (int t = 0; t < n; t++) {
      float inv = l[t] == 0f ? 0f : 1f / l[t];
      for (int k = 0; k < d; k++) {
        out[t][outOffset + k] = acc[t * d + k] * inv;
      }
    }
    if (lse != null) {
      for (int t = 0; t < n; t++) {
        lse[t] = m[t] + (float) Math.log(l[t]);
      }
    }
    if (keyMass != null) {
      addKeyMass(plan, in, m, l, par, keyMass);
    }
    return tiles[0] / (double) BLOCK;
  }

  /**
   * Causal 64x64 blocks of dense attention for rows {@code [q0, q1)} in 64-row blocks, the last key block of a
   * ragged row block counted as its fraction: the denominator of the block share.
   */
  public static double denseBlocks(int q0, int q1) {
    double blocks = 0;
    for (int m0 = q0; m0 < q1; m0 += BLOCK) {
      int m1 = Math.min(q1, m0 + BLOCK);
      blocks += m1 / (double) BLOCK;
    }
    return blocks;
  }

  /** Per-thread tiles. */
  private static final class Scratch {
    final float[] qt;
    final float[] kT;
    final float[] vt;
    final float[] s = new float[BLOCK * BLOCK];
    final float[] accT;
    final float[] mT = new float[BLOCK];
    final float[] lT = new float[BLOCK];
    final int[] lo = new int[BLOCK];
    final int[] hi = new int[BLOCK];

    Scratch(int d) {
      qt = new float[BLOCK * d];
      kT = new float[d * BLOCK];
      vt = new float[BLOCK * d];
      accT = new float[BLOCK * d];
    }
  }

  /** Runs one task; returns the number of keys in the tiles it computed (64 per full tile). */
  private static long runTask(RowTask task, HeadInput in, int q0, float[] m, float[] l, float[] acc, boolean merge,
      Scratch sc) {
    int[] rows = task.rows();
    int r = rows.length;
    int d = in.headDim();
    for (int i = 0; i < r; i++) {
      float[] q = in.q()[rows[i] - q0];
      for (int k = 0; k < d; k++) {
        sc.qt[i * d + k] = q[in.qOffset() + k] * in.scale();
      }
    }
    Arrays.fill(sc.mT, Float.NEGATIVE_INFINITY);
    Arrays.fill(sc.lT, 0f);
    Arrays.fill(sc.accT, 0, r * d, 0f);
    if (!merge) {
      for (int i = 0; i < r; i++) {
        int t = rows[i] - q0;
        sc.mT[i] = m[t];
        sc.lT[i] = l[t];
        System.arraycopy(acc, t * d, sc.accT, i * d, d);
      }
    }
    long tiles = 0;
    for (KeySpan span : task.spans()) {
      for (int c0 = 0, c; c0 < span.count(); c0 += c) {
        c = span.tileLength(c0);
        if (keptRanges(rows, span, c0, c, sc.lo, sc.hi)) {
          gather(in, span, c0, c, sc);
          scores(sc.qt, sc.kT, sc.s, r, d);
          softmaxUpdate(sc, r, d);
          tiles += c;
        }
      }
    }
    for (int i = 0; i < r; i++) {
      int t = rows[i] - q0;
      if (merge) {
        mergeInto(m, l, acc, t, sc.mT[i], sc.lT[i], sc.accT, i * d, d);
      } else {
        m[t] = sc.mT[i];
        l[t] = sc.lT[i];
        System.arraycopy(sc.accT, i * d, acc, t * d, d);
      }
    }
    return tiles;
  }

  /**
   * For each row, the chunk positions {@code [lo, hi)} it keeps ({@code minLag <= i - j < maxLag} with keys
   * ascending is an interval); false when no row keeps any key of the chunk, so the tile is skipped.
   */
  private static boolean keptRanges(int[] rows, KeySpan span, int c0, int c, int[] lo, int[] hi) {
    boolean any = false;
    for (int i = 0; i < rows.length; i++) {
      int row = rows[i];
      int a = 0;
      while (a < c && (long) row - span.key(c0 + a) >= span.maxLag()) {
        a++;
      }
      int b = a;
      while (b < c && (long) row - span.key(c0 + b) >= span.minLag()) {
        b++;
      }
      lo[i] = a;
      hi[i] = b;
      any |= b > a;
    }
    return any;
  }

  /** {@code kT[k][c] = K[key_c][k]}, {@code vt[c][k] = V[key_c][k]}; columns past {@code c} are zero. */
  private static void gather(HeadInput in, KeySpan span, int c0, int c, Scratch sc) {
    int d = in.headDim();
    float[] keys = in.keys();
    for (int j = 0; j < c; j++) {
      int src = span.key(c0 + j) * d;
      for (int k = 0; k < d; k++) {
        sc.kT[k * BLOCK + j] = keys[src + k];
      }
      System.arraycopy(in.values(), src, sc.vt, j * d, d);
    }
    if (c < BLOCK) {
      for (int k = 0; k < d; k++) {
        Arrays.fill(sc.kT, k * BLOCK + c, (k + 1) * BLOCK, 0f);
      }
    }
  }

  /** {@code s[i][c] = sum_k qt[i][k] kT[k][c]} for {@code i < r}, all 64 columns. */
  static void scores(float[] qt, float[] kT, float[] s, int r, int d) {
    if (!VECTOR_TILES) {
      scoresScalar(qt, kT, s, r, d);
      return;
    }
    int lanes = F.length();
    for (int i = 0; i < r; i += 2) {
      int i2 = Math.min(i + 1, r - 1);
      for (int c = 0; c < BLOCK; c += 2 * lanes) {
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        for (int k = 0; k < d; k++) {
          FloatVector k0 = FloatVector.fromArray(F, kT, k * BLOCK + c);
          FloatVector k1 = FloatVector.fromArray(F, kT, k * BLOCK + c + lanes);
          FloatVector x0 = FloatVector.broadcast(F, qt[i * d + k]);
          FloatVector x1 = FloatVector.broadcast(F, qt[i2 * d + k]);
          a00 = k0.fma(x0, a00);
          a01 = k1.fma(x0, a01);
          a10 = k0.fma(x1, a10);
          a11 = k1.fma(x1, a11);
        }
        a00.intoArray(s, i * BLOCK + c);
        a01.intoArray(s, i * BLOCK + c + lanes);
        a10.intoArray(s, i2 * BLOCK + c);
        a11.intoArray(s, i2 * BLOCK + c + lanes);
      }
    }
  }

  static void scoresScalar(float[] qt, float[] kT, float[] s, int r, int d) {
    for (int i = 0; i < r; i++) {
      for (int c = 0; c < BLOCK; c++) {
        float sum = 0f;
        for (int k = 0; k < d; k++) {
          sum += qt[i * d + k] * kT[k * BLOCK + c];
        }
        s[i * BLOCK + c] = sum;
      }
    }
  }

  /** Folds each row's kept scores {@code s[i][lo_i .. hi_i)} into {@code (mT, lT, accT)}. */
  private static void softmaxUpdate(Scratch sc, int r, int d) {
    float[] s = sc.s;
    for (int i = 0; i < r; i++) {
      int lo = sc.lo[i];
      int hi = sc.hi[i];
      if (hi <= lo) {
        continue;
      }
      int base = i * BLOCK;
      float max = Float.NEGATIVE_INFINITY;
      for (int c = lo; c < hi; c++) {
        max = Math.max(max, s[base + c]);
      }
      float newM = Math.max(sc.mT[i], max);
      if (sc.mT[i] != newM && sc.mT[i] != Float.NEGATIVE_INFINITY) {
        float corr = (float) Math.exp(sc.mT[i] - newM);
        sc.lT[i] *= corr;
        for (int k = 0; k < d; k++) {
          sc.accT[i * d + k] *= corr;
        }
      }
      sc.mT[i] = newM;
      sc.lT[i] += expInPlace(s, base + lo, hi - lo, newM);
      weightedSum(s, base, lo, hi, sc.vt, sc.accT, i * d, d);
    }
  }

  /** {@code x[off+c] = exp(x[off+c] - shift)} for {@code c < n}; returns their sum. */
  private static float expInPlace(float[] x, int off, int n, float shift) {
    int c = 0;
    float sum = 0f;
    if (VECTOR_TILES) {
      int upper = F.loopBound(n);
      FloatVector total = FloatVector.zero(F);
      for (; c < upper; c += F.length()) {
        FloatVector e = FloatVector.fromArray(F, x, off + c).sub(shift).lanewise(VectorOperators.EXP);
        e.intoArray(x, off + c);
        total = total.add(e);
      }
      sum = total.reduceLanes(VectorOperators.ADD);
    }
    for (; c < n; c++) {
      float e = (float) Math.exp(x[off + c] - shift);
      x[off + c] = e;
      sum += e;
    }
    return sum;
  }

  /** {@code acc[accOff + k] += sum_{c in [lo,hi)} p[base + c] * vt[c][k]}. */
  private static void weightedSum(float[] p, int base, int lo, int hi, float[] vt, float[] acc, int accOff, int d) {
    int k = 0;
    if (VECTOR_TILES) {
      int upper = F.loopBound(d);
      for (; k < upper; k += F.length()) {
        FloatVector a = FloatVector.fromArray(F, acc, accOff + k);
        for (int c = lo; c < hi; c++) {
          a = FloatVector.fromArray(F, vt, c * d + k).fma(FloatVector.broadcast(F, p[base + c]), a);
        }
        a.intoArray(acc, accOff + k);
      }
    }
    for (; k < d; k++) {
      float a = acc[accOff + k];
      for (int c = lo; c < hi; c++) {
        a += p[base + c] * vt[c * d + k];
      }
      acc[accOff + k] = a;
    }
  }

  /** Log-sum-exp merge of a partial state into row {@code t} of the stored state (see RowState.merge). */
  private static void mergeInto(float[] m, float[] l, float[] acc, int t, float mo, float lo, float[] acco, int off,
      int d) {
    if (mo == Float.NEGATIVE_INFINITY) {
      return;
    }
    float newM = Math.max(m[t], mo);
    float a = m[t] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(m[t] - newM);
    float b = (float) Math.exp(mo - newM);
    for (int k = 0; k < d; k++) {
      acc[t * d + k] = acc[t * d + k] * a + acco[off + k] * b;
    }
    l[t] = l[t] * a + lo * b;
    m[t] = newM;
  }

  /** Second scan: {@code keyMass[j] += exp(S_ij - lse_i)} over every computed tile. */
  private static void addKeyMass(SparsePlan plan, HeadInput in, float[] m, float[] l, Parallel par, float[] mass) {
    int q0 = plan.q0();
    for (RowTask[] pass : plan.passes()) {
      par.forRange(pass.length, 1, (from, to) -> {
        Scratch sc = new Scratch(in.headDim());
        float[] local = new float[mass.length];
        for (int t = from; t < to; t++) {
          RowTask task = pass[t];
          int[] rows = task.rows();
          for (int i = 0; i < rows.length; i++) {
            float[] q = in.q()[rows[i] - q0];
            for (int k = 0; k < in.headDim(); k++) {
              sc.qt[i * in.headDim() + k] = q[in.qOffset() + k] * in.scale();
            }
          }
          for (KeySpan span : task.spans()) {
            for (int c0 = 0, c; c0 < span.count(); c0 += c) {
              c = span.tileLength(c0);
              if (!keptRanges(rows, span, c0, c, sc.lo, sc.hi)) {
                continue;
              }
              gather(in, span, c0, c, sc);
              scores(sc.qt, sc.kT, sc.s, rows.length, in.headDim());
              for (int i = 0; i < rows.length; i++) {
                int row = rows[i] - q0;
                float lse = m[row] + (float) Math.log(l[row]);
                for (int j = sc.lo[i]; j < sc.hi[i]; j++) {
                  local[span.key(c0 + j)] += (float) Math.exp(sc.s[i * BLOCK + j] - lse);
                }
              }
            }
          }
        }
        synchronized (mass) {
          for (int j = 0; j < mass.length; j++) {
            mass[j] += local[j];
          }
        }
      });
    }
  }
}
