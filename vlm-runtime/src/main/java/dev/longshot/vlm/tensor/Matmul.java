package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * Matrix-vector and matrix-matrix products of weight matrices {@code [rows][cols]} with activations, in parallel.
 * Several matrices that read the same input (Q/K/V, gate/up) run in one parallel region to save thread hand-offs.
 * Prefill ({@code n > 1}) with the Vector API kernels works on panels of {@link #PANEL} weight rows: each panel is
 * dequantized once per call into a column-major float tile ({@code [cols][PANEL]}, which stays in the L2 cache) and
 * multiplied with {@link #TOKENS} activations at a time by an outer-product micro-kernel ({@code 3 x 3} vector
 * accumulators held in registers, 3 tile loads and 3 broadcasts per 9 FMAs), writing whole output vectors with no
 * horizontal sums. The scalar path (and {@code n == 1}) uses one dot product per
 * output. Products with Q8_0 / Q4_0 weights take their activations rounded as llama.cpp rounds them
 * ({@link Q8Activation}: blocks of 32, 8-bit quants): for {@code n == 1} the activation is quantized once and the dot
 * products run in integers ({@link QuantDot}); prefill rounds the activations it packs, so a token gets the same
 * products through prefill and decode.
 */
public final class Matmul {
  private static final int MIN_ROWS_PER_CHUNK = 16;
  /**
   * Rows per claimed tile of the matrix-vector path: a multiple of the interleaved Q8_0 / Q4_0 kernels' group
   * ({@code Interleaved.ROWS}: 8 rows with 256-bit vectors, 16 with 512), so no group is split between tiles.
   */
  private static final int TILE = 16;
  /** Weight rows per prefill panel: three float vectors. */
  static final int PANEL = 3 * Kernels.F.length();
  /**
   * Activations per micro-kernel call: with 16 vector registers (AVX2) 9 accumulators, 3 tile vectors and 3
   * broadcasts ({@link #kernel3}); with 32 (AVX-512) 18 accumulators, 3 tile vectors and 6 broadcasts
   * ({@link #kernel6}), twice the FMAs per load.
   */
  static final int TOKENS = Kernels.F.vectorBitSize() >= 512 ? 6 : 3;
  /**
   * Activations packed per prefill block: bounds the packed copy (and the per-caller buffer that keeps it) at
   * {@code TOKEN_BLOCK * cols} floats; each weight panel is dequantized once per block.
   */
  static final int TOKEN_BLOCK = 510;
  private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();
  private static final ThreadLocal<float[]> PACKED = new ThreadLocal<>();

  /** One product: {@code outs[t][r] = sum_c w[r][c] * xs[t][c]} for {@code r < rows}. */
  public record Job(FloatTensor w, float[][] outs, int rows) {}

  private Matmul() {}

  /** {@code out[r] = sum_c w[r][c] * x[c]} for {@code r < rows}. */
  public static void matvec(Parallel par, FloatTensor w, float[] x, float[] out, int rows, int cols) {
    matmul(par, new float[][] {x}, 1, cols, new Job(w, new float[][] {out}, rows));
  }

  /** {@code outs[t][r] = sum_c w[r][c] * xs[t][c]} for {@code t < n}. */
  public static void matmul(Parallel par, FloatTensor w, float[][] xs, float[][] outs, int n, int rows, int cols) {
    matmul(par, xs, n, cols, new Job(w, outs, rows));
  }

  /** Runs every job (all with {@code cols} columns, all reading {@code xs[0..n)}) in one parallel region. */
  public static void matmul(Parallel par, float[][] xs, int n, int cols, Job... jobs) {
    checkSizes(xs, n, cols, jobs);
    if (n > 1 && Kernels.VECTORIZED) {
      if (!NativeGemm.tryMultiply(par, xs, n, cols, jobs)) {
        gemm(par, xs, n, cols, jobs);
      }
      return;
    }
    int[] start = new int[jobs.length + 1];
    for (int j = 0; j < jobs.length; j++) {
      start[j + 1] = start[j] + ceilDiv(jobs[j].rows(), TILE);
    }
    Q8Activation xq = n == 1 ? quantizedActivation(xs[0], cols, jobs) : null;
    float[][] rounded = null; // the scalar path's prefill: activations rounded for Q8_0 / Q4_0 jobs, as gemm does
    if (n > 1 && java.util.Arrays.stream(jobs).anyMatch(job -> roundsActivations(job, cols))) {
      rounded = new float[n][];
      for (int t = 0; t < n; t++) {
        rounded[t] = Q8Activation.round(xs[t], new float[cols], cols);
      }
    }
    float[][] xsRounded = rounded;
    par.forRange(start[jobs.length], Math.max(1, MIN_ROWS_PER_CHUNK / TILE), (from, to) -> {
      float[][] rowBuf = n == 1 ? null : new float[TILE][cols];
      int j = 0;
      for (int tile = from; tile < to; tile++) {
        while (tile >= start[j + 1]) {
          j++;
        }
        Job job = jobs[j];
        int r0 = (tile - start[j]) * TILE;
        int r1 = Math.min(job.rows(), r0 + TILE);
        if (xq != null && job.w().dotsQuantized()) {
          job.w().dotRows(r0, r1 - r0, xq, job.outs()[0]);
        } else if (n == 1) {
          for (int r = r0; r < r1; r++) {
            job.outs()[0][r] = job.w().dot((long) r * cols, xs[0], 0, cols);
          }
        } else {
          for (int r = r0; r < r1; r++) {
            job.w().copyTo((long) r * cols, rowBuf[r - r0], 0, cols);
          }
          block(rowBuf, r1 - r0, r0, roundsActivations(job, cols) ? xsRounded : xs, n, cols, job.outs());
        }
      }
    });
  }

  /**
   * {@code x} quantized once for all jobs when one of them takes quantized activations (Q8_0 / Q4_0 weights, as
   * llama.cpp's decode does), else null.
   */
  private static Q8Activation quantizedActivation(float[] x, int cols, Job[] jobs) {
    if (cols % Q8Activation.BLOCK != 0) {
      return null;
    }
    for (Job job : jobs) {
      if (job.w().dotsQuantized()) {
        return Q8Activation.of(x, cols);
      }
    }
    return null;
  }

  /**
   * The prefill path, per block of at most {@link #TOKEN_BLOCK} activations: the block's activations are packed in
   * groups of {@link #TOKENS} ({@code [group][k][TOKENS]}, one stream for the micro-kernel), then panels of
   * {@link #PANEL} rows over all jobs are claimed by the threads, each dequantized once per block.
   */
  private static void gemm(Parallel par, float[][] xs, int n, int cols, Job[] jobs) {
    boolean rounds = roundsActivations(jobs[0], cols);
    for (Job job : jobs) {
      if (roundsActivations(job, cols) != rounds) { // mixed: the jobs that round, then the others
        gemm(par, xs, n, cols, java.util.Arrays.stream(jobs).filter(x -> roundsActivations(x, cols)).toArray(Job[]::new));
        gemm(par, xs, n, cols, java.util.Arrays.stream(jobs).filter(x -> !roundsActivations(x, cols))
            .toArray(Job[]::new));
        return;
      }
    }
    int[] start = new int[jobs.length + 1];
    for (int j = 0; j < jobs.length; j++) {
      start[j + 1] = start[j] + ceilDiv(jobs[j].rows(), PANEL);
    }
    for (int t0 = 0; t0 < n; t0 += TOKEN_BLOCK) {
      int b0 = t0;
      int b1 = Math.min(n, t0 + TOKEN_BLOCK);
      int groups = (b1 - b0) / TOKENS;
      float[] packed = packedActivations(groups * TOKENS * cols);
      par.forRange(groups, 1, (from, to) -> packActivations(xs, b0, from, to, cols, packed, rounds));
      float[][] rest = new float[b1 - b0 - groups * TOKENS][];
      for (int t = 0; t < rest.length; t++) {
        float[] x = xs[b0 + groups * TOKENS + t];
        rest[t] = rounds ? Q8Activation.round(x, new float[cols], cols) : x;
      }
      par.forRange(start[jobs.length], 1, (from, to) -> {
        float[][] scratch = scratch(cols);
        float[] tile = scratch[0];
        float[] row = scratch[1];
        float[] tmp = scratch[2];
        int j = 0;
        for (int panel = from; panel < to; panel++) {
          while (panel >= start[j + 1]) {
            j++;
          }
          Job job = jobs[j];
          int r0 = (panel - start[j]) * PANEL;
          int count = Math.min(PANEL, job.rows() - r0);
          pack(job.w(), r0, count, cols, row, tile);
          for (int g = 0; g < groups; g++) {
            if (TOKENS == 6) {
              kernel6(tile, packed, g * TOKENS * cols, cols, job.outs(), b0 + g * TOKENS, r0, count, tmp);
            } else {
              kernel3(tile, packed, g * TOKENS * cols, cols, job.outs(), b0 + g * TOKENS, r0, count, tmp);
            }
          }
          for (int t = b0 + groups * TOKENS; t < b1; t++) {
            kernel1(tile, rest[t - b0 - groups * TOKENS], cols, job.outs()[t], r0, count, tmp);
          }
        }
      });
    }
  }

  /** The calling thread's buffer for packed activations, grown to {@code size} floats when smaller. */
  private static float[] packedActivations(int size) {
    float[] a = PACKED.get();
    if (a == null || a.length < size) {
      a = new float[size];
      PACKED.set(a);
    }
    return a;
  }

  /** Whether {@code job}'s products round their activations ({@link Q8Activation}), as llama.cpp's Q8_0/Q4_0 do. */
  /**
   * Throws {@link IllegalArgumentException} with one line where the arrays cannot hold the product: checked before
   * either GEMM starts, so a bad call neither writes part of the outputs nor looks like a native failure.
   */
  private static void checkSizes(float[][] xs, int n, int cols, Job[] jobs) {
    if (n < 0 || cols < 0 || xs.length < n) {
      throw new IllegalArgumentException("Matmul: " + n + " activations of " + cols + " columns asked, " + xs.length
          + " given");
    }
    for (int t = 0; t < n; t++) {
      if (xs[t].length < cols) {
        throw new IllegalArgumentException("Matmul: activation " + t + " has " + xs[t].length
            + " values, fewer than the " + cols + " columns");
      }
    }
    for (int j = 0; j < jobs.length; j++) {
      Job job = jobs[j];
      if (job.rows() < 0 || job.w().size() < (long) job.rows() * cols || job.outs().length < n) {
        throw new IllegalArgumentException("Matmul: job " + j + " (" + job.rows() + " rows of " + cols + " columns) has "
            + job.w().size() + " weights and " + job.outs().length + " outputs for " + n + " activations");
      }
      for (int t = 0; t < n; t++) {
        if (job.outs()[t].length < job.rows()) {
          throw new IllegalArgumentException("Matmul: output " + t + " of job " + j + " has " + job.outs()[t].length
              + " values, fewer than its " + job.rows() + " rows");
        }
      }
    }
  }

  static boolean roundsActivations(Job job, int cols) {
    return cols % Q8Activation.BLOCK == 0 && job.w().dotsQuantized();
  }

  /**
   * {@code packed[g][k][t] = xs[b0 + g * TOKENS + t][k]} for groups {@code [from, to)}, rounded as
   * {@link Q8Activation} rounds when {@code rounds}.
   */
  private static void packActivations(float[][] xs, int b0, int from, int to, int cols, float[] packed,
      boolean rounds) {
    float[] buf = rounds ? new float[cols] : null;
    for (int g = from; g < to; g++) {
      for (int t = 0; t < TOKENS; t++) {
        float[] x = rounds ? Q8Activation.round(xs[b0 + g * TOKENS + t], buf, cols) : xs[b0 + g * TOKENS + t];
        for (int k = 0, o = g * TOKENS * cols + t; k < cols; k++, o += TOKENS) {
          packed[o] = x[k];
        }
      }
    }
  }

  /** Per-thread buffers: the packed tile, one dequantized row, a panel of outputs per token of a group. */
  private static float[][] scratch(int cols) {
    float[][] s = SCRATCH.get();
    if (s == null || s[1].length < cols) {
      s = new float[][] {new float[cols * PANEL], new float[cols], new float[TOKENS * PANEL]};
      SCRATCH.set(s);
    }
    return s;
  }

  /** {@code tile[k * PANEL + i] = w[r0 + i][k]}, zero for {@code i >= count}. */
  static void pack(FloatTensor w, int r0, int count, int cols, float[] row, float[] tile) {
    for (int i = 0; i < PANEL; i++) {
      if (i < count) {
        w.copyTo((long) (r0 + i) * cols, row, 0, cols);
        for (int k = 0, o = i; k < cols; k++, o += PANEL) {
          tile[o] = row[k];
        }
      } else {
        for (int k = 0, o = i; k < cols; k++, o += PANEL) {
          tile[o] = 0f;
        }
      }
    }
  }

  /**
   * {@code outs[t0 + t][r0 + i] = sum_k tile[k][i] * xp[xo + k * 3 + t]} for {@code t < 3}, {@code i < count}.
   * Written for what C2 (JDK 21-25) makes of it, checked in its disassembly: nine accumulators, three tile vectors
   * and three broadcasts fit the 16 AVX2 registers, and the loop is compiled once per iteration, not unrolled. C2
   * loads all of an iteration's operands before its FMAs, so the previous 2 x 6 kernel spilled two accumulators to
   * the stack on every iteration (a store-to-load chain, not the FMA units, set its speed), and this kernel with
   * three separate activation arrays was unrolled four times and spilled most of them; one packed activation
   * stream keeps it at one iteration. The loop index is {@code k} alone, every offset computed from it.
   */
  private static void kernel3(float[] tile, float[] xp, int xo, int cols, float[][] outs, int t0, int r0, int count,
      float[] tmp) {
    var s = Kernels.F;
    int l = s.length();
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c02 = FloatVector.zero(s);
    FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s), c12 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c22 = FloatVector.zero(s);
    for (int k = 0; k < cols; k++) {
      int o = k * PANEL;
      int x = xo + k * TOKENS;
      FloatVector w0 = FloatVector.fromArray(s, tile, o);
      FloatVector w1 = FloatVector.fromArray(s, tile, o + l);
      FloatVector w2 = FloatVector.fromArray(s, tile, o + 2 * l);
      FloatVector b = FloatVector.broadcast(s, xp[x]);
      c00 = w0.fma(b, c00);
      c01 = w1.fma(b, c01);
      c02 = w2.fma(b, c02);
      b = FloatVector.broadcast(s, xp[x + 1]);
      c10 = w0.fma(b, c10);
      c11 = w1.fma(b, c11);
      c12 = w2.fma(b, c12);
      b = FloatVector.broadcast(s, xp[x + 2]);
      c20 = w0.fma(b, c20);
      c21 = w1.fma(b, c21);
      c22 = w2.fma(b, c22);
    }
    // every accumulator is written before any call, with no helper method: a call with vectors live across it
    // made C2 spill them inside the loop, and a helper it did not inline made it box them
    float[] o0 = tmp;
    float[] o1 = tmp;
    float[] o2 = tmp;
    int p0 = 0;
    int p1 = PANEL;
    int p2 = 2 * PANEL;
    if (count == PANEL) {
      o0 = outs[t0];
      o1 = outs[t0 + 1];
      o2 = outs[t0 + 2];
      p0 = r0;
      p1 = r0;
      p2 = r0;
    }
    c00.intoArray(o0, p0);
    c01.intoArray(o0, p0 + l);
    c02.intoArray(o0, p0 + 2 * l);
    c10.intoArray(o1, p1);
    c11.intoArray(o1, p1 + l);
    c12.intoArray(o1, p1 + 2 * l);
    c20.intoArray(o2, p2);
    c21.intoArray(o2, p2 + l);
    c22.intoArray(o2, p2 + 2 * l);
    if (count < PANEL) {
      copyPartial(tmp, outs, t0, r0, count);
    }
  }

  /** {@link #kernel3} with six activations: for 32 vector registers (AVX-512), 18 FMAs per 3 loads and 6 broadcasts. */
  private static void kernel6(float[] tile, float[] xp, int xo, int cols, float[][] outs, int t0, int r0, int count,
      float[] tmp) {
    var s = Kernels.F;
    int l = s.length();
    FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s), c02 = FloatVector.zero(s);
    FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s), c12 = FloatVector.zero(s);
    FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s), c22 = FloatVector.zero(s);
    FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s), c32 = FloatVector.zero(s);
    FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s), c42 = FloatVector.zero(s);
    FloatVector c50 = FloatVector.zero(s), c51 = FloatVector.zero(s), c52 = FloatVector.zero(s);
    for (int k = 0; k < cols; k++) {
      int o = k * PANEL;
      int x = xo + k * TOKENS;
      FloatVector w0 = FloatVector.fromArray(s, tile, o);
      FloatVector w1 = FloatVector.fromArray(s, tile, o + l);
      FloatVector w2 = FloatVector.fromArray(s, tile, o + 2 * l);
      FloatVector b = FloatVector.broadcast(s, xp[x]);
      c00 = w0.fma(b, c00);
      c01 = w1.fma(b, c01);
      c02 = w2.fma(b, c02);
      b = FloatVector.broadcast(s, xp[x + 1]);
      c10 = w0.fma(b, c10);
      c11 = w1.fma(b, c11);
      c12 = w2.fma(b, c12);
      b = FloatVector.broadcast(s, xp[x + 2]);
      c20 = w0.fma(b, c20);
      c21 = w1.fma(b, c21);
      c22 = w2.fma(b, c22);
      b = FloatVector.broadcast(s, xp[x + 3]);
      c30 = w0.fma(b, c30);
      c31 = w1.fma(b, c31);
      c32 = w2.fma(b, c32);
      b = FloatVector.broadcast(s, xp[x + 4]);
      c40 = w0.fma(b, c40);
      c41 = w1.fma(b, c41);
      c42 = w2.fma(b, c42);
      b = FloatVector.broadcast(s, xp[x + 5]);
      c50 = w0.fma(b, c50);
      c51 = w1.fma(b, c51);
      c52 = w2.fma(b, c52);
    }
    float[] o0 = tmp;
    float[] o1 = tmp;
    float[] o2 = tmp;
    float[] o3 = tmp;
    float[] o4 = tmp;
    float[] o5 = tmp;
    int p0 = 0;
    int p1 = PANEL;
    int p2 = 2 * PANEL;
    int p3 = 3 * PANEL;
    int p4 = 4 * PANEL;
    int p5 = 5 * PANEL;
    if (count == PANEL) {
      o0 = outs[t0];
      o1 = outs[t0 + 1];
      o2 = outs[t0 + 2];
      o3 = outs[t0 + 3];
      o4 = outs[t0 + 4];
      o5 = outs[t0 + 5];
      p0 = r0;
      p1 = r0;
      p2 = r0;
      p3 = r0;
      p4 = r0;
      p5 = r0;
    }
    c00.intoArray(o0, p0);
    c01.intoArray(o0, p0 + l);
    c02.intoArray(o0, p0 + 2 * l);
    c10.intoArray(o1, p1);
    c11.intoArray(o1, p1 + l);
    c12.intoArray(o1, p1 + 2 * l);
    c20.intoArray(o2, p2);
    c21.intoArray(o2, p2 + l);
    c22.intoArray(o2, p2 + 2 * l);
    c30.intoArray(o3, p3);
    c31.intoArray(o3, p3 + l);
    c32.intoArray(o3, p3 + 2 * l);
    c40.intoArray(o4, p4);
    c41.intoArray(o4, p4 + l);
    c42.intoArray(o4, p4 + 2 * l);
    c50.intoArray(o5, p5);
    c51.intoArray(o5, p5 + l);
    c52.intoArray(o5, p5 + 2 * l);
    if (count < PANEL) {
      copyPartial(tmp, outs, t0, r0, count);
    }
  }

  /**
   * A partial panel's results, stored by {@link #kernel3} / {@link #kernel6} in {@code tmp} one {@link #PANEL} per
   * activation, copied to rows {@code [r0, r0 + count)} of the outputs of activations {@code t0 ..}: called after every
   * accumulator is stored, with no vector live.
   */
  private static void copyPartial(float[] tmp, float[][] outs, int t0, int r0, int count) {
    for (int t = 0; t < TOKENS; t++) {
      System.arraycopy(tmp, t * PANEL, outs[t0 + t], r0, count);
    }
  }

  /** One activation against the tile. */
  private static void kernel1(float[] tile, float[] x, int cols, float[] out, int r0, int count, float[] tmp) {
    var s = Kernels.F;
    int l = s.length();
    FloatVector c0 = FloatVector.zero(s);
    FloatVector c1 = FloatVector.zero(s);
    FloatVector c2 = FloatVector.zero(s);
    for (int k = 0; k < cols; k++) {
      int o = k * PANEL;
      FloatVector b = FloatVector.broadcast(s, x[k]);
      c0 = FloatVector.fromArray(s, tile, o).fma(b, c0);
      c1 = FloatVector.fromArray(s, tile, o + l).fma(b, c1);
      c2 = FloatVector.fromArray(s, tile, o + 2 * l).fma(b, c2);
    }
    store(c0, c1, c2, out, r0, count, tmp);
  }

  private static void store(FloatVector c0, FloatVector c1, FloatVector c2, float[] out, int r0, int count,
      float[] tmp) {
    int l = c0.length();
    float[] o = count == PANEL ? out : tmp;
    int p = count == PANEL ? r0 : 0;
    c0.intoArray(o, p);
    c1.intoArray(o, p + l);
    c2.intoArray(o, p + 2 * l);
    if (count < PANEL) {
      System.arraycopy(tmp, 0, out, r0, count);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** {@code outs[t][r0 + i] = rows[i] . xs[t]} for {@code i < rowCount}, {@code t < n}. */
  private static void block(float[][] rows, int rowCount, int r0, float[][] xs, int n, int cols, float[][] outs) {
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < rowCount; i++) {
        outs[t][r0 + i] = VectorMath.dot(rows[i], 0, xs[t], 0, cols);
      }
    }
  }
}
