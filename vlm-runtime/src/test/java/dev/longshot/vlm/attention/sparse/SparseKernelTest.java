package dev.longshot.vlm.attention.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.vlm.attention.sparse.VerticalSlashPattern.Boundary;
import dev.longshot.vlm.tensor.Parallel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every pattern's block-sparse kernel against a double-precision dense softmax under the pattern's exact mask, on
 * random inputs (seed printed in every message): the plan covers exactly the mask, and the outputs agree within
 * 1e-5 relative. Ragged lengths, every grid shift and phase, chunked batches, the dense fallback below one block.
 */
class SparseKernelTest {
  private static final long SEED = 20261202L;
  private static Parallel par;

  @BeforeAll
  static void start() {
    par = new Parallel(2);
  }

  @AfterAll
  static void stop() {
    par.close();
  }

  /** Random operands of one head: q rows {@code [q0, n)}, keys/values {@code [0, n)}. */
  record Head(float[][] q, float[] k, float[] v, int d) {
    static Head random(SplittableRandom r, int n, int d, double keyBias) {
      float[][] q = new float[n][d];
      float[] k = new float[n * d];
      float[] v = new float[n * d];
      for (int i = 0; i < n; i++) {
        for (int x = 0; x < d; x++) {
          q[i][x] = (float) (r.nextGaussian() * 1.5);
          k[i * d + x] = (float) (r.nextGaussian() + keyBias);
          v[i * d + x] = (float) (r.nextDouble() * 2 - 1);
        }
      }
      return new Head(q, k, v, d);
    }

    BlockSparseKernel.HeadInput input(int q0) {
      float[][] rows = java.util.Arrays.copyOfRange(q, q0, q.length);
      return new BlockSparseKernel.HeadInput(rows, 0, q0, k, v, d, (float) (1 / Math.sqrt(d)));
    }
  }

  /** Double-precision softmax(q K^T / sqrt d) V over the kept keys of row i. */
  static double[] reference(Head h, int i, AttentionMask mask) {
    int d = h.d();
    double scale = 1 / Math.sqrt(d);
    List<Integer> kept = new ArrayList<>();
    List<Double> s = new ArrayList<>();
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j <= i; j++) {
      if (mask.keeps(i, j)) {
        double dot = 0;
        for (int x = 0; x < d; x++) {
          dot += (double) h.q()[i][x] * h.k()[j * d + x];
        }
        kept.add(j);
        s.add(dot * scale);
        max = Math.max(max, dot * scale);
      }
    }
    double[] out = new double[d];
    double sum = 0;
    for (int t = 0; t < kept.size(); t++) {
      double w = Math.exp(s.get(t) - max);
      sum += w;
      for (int x = 0; x < d; x++) {
        out[x] += w * h.v()[kept.get(t) * d + x];
      }
    }
    for (int x = 0; x < d; x++) {
      out[x] /= sum;
    }
    return out;
  }

  /** Resolves the pattern on rows [q0, n), checks plan == mask and kernel == reference; returns tiles computed. */
  static double check(String what, HeadPattern p, Head h, int q0, ModalityLayout layout) {
    int n = h.q().length;
    PatternInput in = new PatternInput(h.input(q0), n, layout);
    ResolvedPattern rp = p.resolve(in);
    String ctx = what + " " + p.describe() + " n=" + n + " q0=" + q0 + " seed=" + SEED;
    List<List<RowTask>> byRow = rp.plan().tasksByRow();
    for (int i = q0; i < n; i++) {
      List<RowTask> tasks = byRow.get(i - q0);
      for (int j = 0; j < n; j++) {
        boolean m = rp.mask().keeps(i, j);
        final int jj = j;
        final int ii = i;
        if (m != tasks.stream().anyMatch(t -> t.keeps(ii, jj))) {
          throw new AssertionError(ctx + ": plan and mask disagree at (" + i + "," + j + "): mask " + m);
        }
      }
    }
    assertPlanRowsDisjointPerPass(rp.plan(), ctx);
    float[][] out = new float[n - q0][h.d()];
    double tiles = BlockSparseKernel.run(rp.plan(), in.in(), out, 0, par, null);
    for (int i = q0; i < n; i++) {
      double[] ref = reference(h, i, rp.mask());
      for (int x = 0; x < h.d(); x++) {
        double err = Math.abs(out[i - q0][x] - ref[x]);
        if (err > 1e-5 * Math.max(1.0, Math.abs(ref[x]))) {
          throw new AssertionError(ctx + ": row " + i + " dim " + x + " sparse " + out[i - q0][x] + " dense "
              + ref[x]);
        }
      }
    }
    return tiles;
  }

  static void assertPlanRowsDisjointPerPass(SparsePlan plan, String ctx) {
    for (RowTask[] pass : plan.passes()) {
      Set<Integer> seen = new HashSet<>();
      for (RowTask t : pass) {
        for (int i : t.rows()) {
          assertThat(seen.add(i)).as("%s: row %d twice in one pass", ctx, i).isTrue();
        }
      }
    }
    Set<Integer> first = new HashSet<>();
    for (RowTask t : plan.passes().get(0)) {
      for (int i : t.rows()) {
        first.add(i);
      }
    }
    assertThat(first).as(ctx + ": first pass covers every row").hasSize(plan.q1() - plan.q0());
  }

  @Test
  void aShapeEqualsDenseUnderItsMaskAtRaggedSizes() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int n : new int[] {1, 40, 63, 64, 65, 130, 333}) {
      Head h = Head.random(r, n, 16, 0);
      double blocks = check("a-shape text", new AShapePattern(5, 70), h, 0, ModalityLayout.text(n));
      assertThat(blocks).as("blocks of a-shape n=%d", n).isLessThanOrEqualTo(BlockSparseKernel.denseBlocks(0, n));
      if (n >= 30) {
        check("a-shape tri", new AShapePattern(64, 64), h, 0, ModalityLayout.video(3, 2, n / 3, 4, n - 3 - 2 * (n / 3)));
      }
    }
  }

  @Test
  void gridEqualsDenseUnderItsMaskForEveryShiftAndPhase() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int stride : new int[] {1, 3, 6}) {
      int frames = 2;
      int perFrame = stride * 64 + 40;
      for (int prefix : new int[] {5, 70}) {
        ModalityLayout layout = ModalityLayout.video(prefix, frames, perFrame, stride, 37);
        int n = layout.length();
        Head h = Head.random(r, n, 8, 0);
        for (int shift = 0; shift < stride; shift++) {
          for (boolean hv : new boolean[] {false, true}) {
            GridPattern g = new GridPattern(stride, shift, hv, 64);
            GridPattern.Geometry geo = g.geometry(layout.visionStart(), layout.visionEnd());
            assertThat(geo).as("geometry fits for stride %d prefix %d", stride, prefix).isNotNull();
            assertThat(geo.qe()).isGreaterThan(geo.qs());
            check("grid", g, h, 0, layout);
          }
        }
      }
    }
  }

  @Test
  void gridFallsBackToDenseWhenTheVisionSpanIsTooShort() {
    SplittableRandom r = new SplittableRandom(SEED + 2);
    ModalityLayout layout = ModalityLayout.video(10, 1, 100, 10, 20);
    Head h = Head.random(r, layout.length(), 8, 0);
    GridPattern g = new GridPattern(10, 0, true, 64);
    assertThat(g.geometry(10, 110)).isNull();
    double tiles = check("grid fallback", g, h, 0, layout);
    assertThat(tiles).isCloseTo(BlockSparseKernel.denseBlocks(0, layout.length()),
        org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void verticalSlashEqualsDenseUnderItsBlockIndexMask() {
    SplittableRandom r = new SplittableRandom(SEED + 3);
    for (int n : new int[] {50, 64, 129, 400, 517}) {
      Head h = Head.random(r, n, 16, 0.3);
      check("vs", new VerticalSlashPattern(40, 60, 64, Boundary.NONE), h, 0, ModalityLayout.text(n));
      // grown budgets (unaligned slash-range tiles, more lines): still exactly the block-index mask
      check("vs grown", new VerticalSlashPattern(30, 50, 64, Boundary.NONE, 0.999), h, 0, ModalityLayout.text(n));
    }
  }

  @Test
  void boundaryPatternsEqualDenseUnderTheirMasks() {
    SplittableRandom r = new SplittableRandom(SEED + 4);
    ModalityLayout layout = ModalityLayout.interleaved(3, 45, 100, 10);
    Head h = Head.random(r, layout.length(), 8, 0.2);
    for (Boundary b : Boundary.values()) {
      check("boundary", new VerticalSlashPattern(35, 55, 64, b), h, 0, layout);
      check("boundary grown", new VerticalSlashPattern(30, 50, 64, b, 0.999), h, 0, layout);
    }
  }

  @Test
  void chunkedBatchesResolveOnAbsolutePositions() {
    SplittableRandom r = new SplittableRandom(SEED + 5);
    ModalityLayout layout = ModalityLayout.video(20, 2, 4 * 64 + 30, 4, 50);
    Head h = Head.random(r, layout.length(), 8, 0);
    for (int q0 : new int[] {100, 555}) {
      check("chunk grid", new GridPattern(4, 1, true, 64), h, q0, layout);
      check("chunk a-shape", new AShapePattern(30, 90), h, q0, layout);
      check("chunk vs", new VerticalSlashPattern(30, 50, 64, Boundary.QUERY), h, q0, layout);
    }
  }

  @Test
  void budgetThatKeepsEveryBlockEqualsDense() {
    SplittableRandom r = new SplittableRandom(SEED + 6);
    int n = 300;
    Head h = Head.random(r, n, 16, 0);
    ModalityLayout layout = ModalityLayout.text(n);
    VerticalSlashPattern all = new VerticalSlashPattern(n, n, 64, Boundary.NONE);
    ResolvedPattern rp = all.resolve(new PatternInput(h.input(0), n, layout));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertThat(rp.mask().keeps(i, j)).as("full budget keeps (%d,%d) seed %d", i, j, SEED + 6).isTrue();
      }
    }
    check("full budget", all, h, 0, layout);
    check("wide a-shape", new AShapePattern(0, n), h, 0, layout);
  }

  @Test
  void blockIndexCoversEveryVerticalAndSlashOnceWithoutDuplicateColumns() {
    VsIndex idx = new VsIndex(new int[] {3, 70, 71, 200, 450}, new int[] {0, 5, 64, 130, 300});
    for (int m1 = 64; m1 <= 512; m1 += 64) {
      List<int[]> ranges = idx.ranges(m1);
      for (int t = 1; t < ranges.size(); t++) {
        assertThat(ranges.get(t)[0]).as("merged ranges are disjoint and apart").isGreaterThan(ranges.get(t - 1)[1]);
      }
      int[] cols = idx.columns(ranges, m1);
      assertThat(cols).doesNotHaveDuplicates();
      for (int i = m1 - 64; i < m1; i++) {
        for (int sigma : idx.slashes()) {
          int j = i - sigma;
          if (j >= 0) {
            final int jj = j;
            assertThat(ranges.stream().anyMatch(rg -> jj >= rg[0] && jj < rg[1])).as("slash %d row %d", sigma, i)
                .isTrue();
          }
        }
        for (int vert : idx.verticals()) {
          if (vert <= i) {
            boolean inRange = ranges.stream().anyMatch(rg -> vert >= rg[0] && vert < rg[1]);
            boolean inCols = java.util.Arrays.stream(cols).anyMatch(c -> c == vert);
            assertThat(inRange ^ inCols).as("vertical %d row %d covered exactly once", vert, i).isTrue();
          }
        }
      }
    }
  }

  @Test
  void phasePermutationIsABijectionAndBandsAreTheGridLines() {
    for (int stride : new int[] {1, 2, 5, 14}) {
      PhasePermutation p = new PhasePermutation(123, stride * 64 * 3, stride);
      Set<Integer> slots = new HashSet<>();
      for (int pos = 123; pos < 123 + p.length(); pos++) {
        int slot = p.slotOf(pos);
        assertThat(slot).isBetween(0, p.length() - 1);
        assertThat(p.positionAt(slot)).isEqualTo(pos);
        slots.add(slot);
      }
      assertThat(slots).hasSize(p.length());
      for (int phase = 0; phase < stride; phase++) {
        KeySpan band = p.band(phase, 0);
        assertThat(band.count()).isEqualTo(p.perPhase());
        for (int t = 0; t < band.count(); t++) {
          assertThat(p.slotOf(band.key(t))).isEqualTo(phase * p.perPhase() + t);
        }
      }
    }
  }
}
