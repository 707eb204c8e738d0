package dev.longshot.vlm.attention.sparse;

import java.util.ArrayList;
import java.util.List;

/**
 * Grid head over the vision tokens: besides a sink and a local band, every query keeps the key columns on the grid
 * lines (positions {@code = vision start + shift (mod stride)}), and with {@code hLines} the rows on those lines keep
 * every key. The exact mask is MMInference's grid reference ({@code _ref_attention} of {@code grid_attention.py}),
 * with {@code sink = vision start - 1 + shift}, {@code vis_start = vision start + shift}:
 * <pre>
 * sink' = roundup64(max(sink, vis_start)); L = roundup64(local)
 * if vis_start + stride*64 + L > vision end: dense causal
 * T = floor((vision end - sink' - L) / (stride*64)) * stride*64
 * rows [qs, qe) = [sink'+L, sink'+L+T), keys [ks, ke) = [sink', sink'+T); rows >= qe are dense
 * keep(i,j) = j <= i and (i-j < L or j < sink' or i >= qe or i in h-lines or j in v-lines)
 * h-lines = {qs + phq + t*stride} in [qs, qe), v-lines = {ks + phk + t*stride} in [ks, ke)
 * </pre>
 * The reference code disagrees with itself on the phase: the kernel wrapper uses {@code (vis_start - start) mod
 * stride}, {@code _ref_attention} {@code (vis_start + stride - 1 - start) mod stride}. We use the wrapper's, because
 * it puts the lines at {@code i - vision start = shift (mod stride)}, which is what the offline search scored.
 * {@code hLines = false} drops the h-lines (the search's "v only" candidate; the runtime reference always had both).
 * Plan, one pass: the rows off the h-lines in natural 64-row blocks (sink, local band, and for grid rows the v-line
 * keys - one phase band of the key permutation, gathered into dense tiles); the h-line rows (one phase band of the
 * row permutation) 64 at a time against contiguous key tiles from 0, since an h-line row keeps every key. (Until
 * issue 17's second session the h-lines were a second pass over the other key phases' strided gathers, merged by
 * log-sum-exp: the same keys, but each tile gathered 64 strided keys and the pass merged every row again.)
 */
public record GridPattern(int stride, int shift, boolean hLines, int local) implements HeadPattern {
  /** MMInference's local window for grid heads. */
  public static final int DEFAULT_LOCAL = 1024;

  public GridPattern {
    if (stride < 1 || shift < 0 || shift >= stride || local < 1) {
      throw new IllegalArgumentException("grid needs stride >= 1, 0 <= shift < stride, local >= 1; got stride="
          + stride + " shift=" + shift + " local=" + local);
    }
  }

  /** Where the grid lies for one prompt, or null when the pattern falls back to dense. */
  record Geometry(int sink, int local, int qs, int qe, int ks, int ke, int phaseQ, int phaseK) {}

  Geometry geometry(int vs, int ve) {
    int visStart = vs + shift;
    int sink = vs - 1 + shift;
    int sinkR = Blocks.roundUp(Math.max(sink, visStart));
    int l = Blocks.roundUp(local);
    if ((long) visStart + (long) stride * BlockSparseKernel.BLOCK + l > ve) {
      return null;
    }
    long unit = (long) stride * BlockSparseKernel.BLOCK;
    int t = (int) (Math.max(0, ve - sinkR - l) / unit * unit);
    int qs = sinkR + l;
    int ks = sinkR;
    return new Geometry(sinkR, l, qs, qs + t, ks, ks + t, Math.floorMod(visStart - qs, stride),
        Math.floorMod(visStart - ks, stride));
  }

  /** Whether the grid fits the layout's vision tokens (otherwise it resolves to dense). */
  public boolean resolvesOn(ModalityLayout layout) {
    int vs = layout.visionStart();
    return vs >= 0 && geometry(vs, layout.visionEnd()) != null;
  }

  @Override
  public ResolvedPattern resolve(PatternInput input) {
    int q0 = input.q0();
    int q1 = input.q1();
    int vs = input.layout().visionStart();
    Geometry g = vs < 0 || q1 < BlockSparseKernel.BLOCK ? null : geometry(vs, input.layout().visionEnd());
    if (g == null) {
      return ResolvedPattern.dense(q0, q1);
    }
    return new ResolvedPattern(mask(g), plan(g, q0, q1));
  }

  private AttentionMask mask(Geometry g) {
    return (i, j) -> j <= i && (i - j < g.local() || j < g.sink() || i >= g.qe()
        || hLines && i >= g.qs() && i < g.qe() && Math.floorMod(i - g.qs() - g.phaseQ(), stride) == 0
        || j >= g.ks() && j < g.ke() && Math.floorMod(j - g.ks() - g.phaseK(), stride) == 0);
  }

  private SparsePlan plan(Geometry g, int q0, int q1) {
    PhasePermutation keys = new PhasePermutation(g.ks(), g.ke() - g.ks(), stride);
    KeySpan vLines = keys.band(g.phaseK(), g.local());
    List<RowTask> tasks = new ArrayList<>();
    for (int[] block : Blocks.rowBlocks(q0, q1, g.qs(), g.qe())) {
      int m0 = block[0];
      int m1 = block[1];
      if (m0 >= g.qe()) {
        tasks.add(new RowTask(RowTask.rows(m0, 1, m1 - m0), new KeySpan[] {KeySpan.range(0, m1)}));
        continue;
      }
      List<KeySpan> spans = new ArrayList<>(3);
      spans.add(KeySpan.range(0, Math.min(g.sink(), m1)));
      spans.add(KeySpan.window(Blocks.windowStart(g.sink(), m0, g.local()), m1, g.local()));
      if (m0 >= g.qs()) {
        spans.add(vLines);
      }
      int[] rows = java.util.stream.IntStream.range(m0, m1).filter(i -> !isHLine(g, i)).toArray();
      if (rows.length > 0) {
        tasks.add(new RowTask(rows, spans.toArray(KeySpan[]::new)));
      }
    }
    if (hLines && g.qe() > g.qs()) {
      hLineTasks(g, q0, q1, tasks);
    }
    return new SparsePlan(q0, q1, List.<RowTask[]>of(tasks.toArray(RowTask[]::new)));
  }

  private boolean isHLine(Geometry g, int i) {
    return hLines && i >= g.qs() && i < g.qe() && Math.floorMod(i - g.qs() - g.phaseQ(), stride) == 0;
  }

  /**
   * The h-line rows inside {@code [q0, q1)} (one phase band of the row permutation), 64 at a time, each keeping every
   * key up to itself: contiguous 64-key tiles from key 0 (the causal bound masks each row), in the same pass as the
   * other rows, so no strided gathers and no log-sum-exp merge.
   */
  private void hLineTasks(Geometry g, int q0, int q1, List<RowTask> tasks) {
    PhasePermutation rows = new PhasePermutation(g.qs(), g.qe() - g.qs(), stride);
    int perPhase = rows.perPhase();
    for (int from = 0; from < perPhase; from += BlockSparseKernel.BLOCK) {
      int[] band = rows.bandRows(g.phaseQ(), from, Math.min(BlockSparseKernel.BLOCK, perPhase - from));
      int[] inBatch = java.util.Arrays.stream(band).filter(i -> i >= q0 && i < q1).toArray();
      if (inBatch.length > 0) {
        tasks.add(new RowTask(inBatch, new KeySpan[] {KeySpan.range(0, inBatch[inBatch.length - 1] + 1)}));
      }
    }
  }

  @Override
  public String describe() {
    return "grid(stride=" + stride + ",shift=" + shift + "," + (hLines ? "h+v" : "v") + ",local=" + local + ")";
  }
}
