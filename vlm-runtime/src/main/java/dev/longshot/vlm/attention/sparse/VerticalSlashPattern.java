package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.multimodal.Modality;
import dev.longshot.vlm.attention.sparse.ModalityLayout.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Vertical-slash head with an online estimate (MMInference / MInference {@code vertical_and_slash_kernel}): the last
 * {@code lastQ} queries' causal softmax {@code A} over all keys gives column sums (verticals) and diagonal sums
 * (slashes); the first {@value #FORCED_VERTICALS} columns and the {@value #FORCED_SLASHES} diagonals nearest the main
 * one are always kept; the top {@code v} columns and top {@code s} diagonals (budgets clamped to at least 30 / 50)
 * become a {@link VsIndex}. With {@code boundary}:
 * <ul>
 *   <li>{@link Boundary#NONE} ("No-Boundary"): one index for all rows;
 *   <li>{@link Boundary#QUERY} ("Q-Boundary"): one index per query modality, estimated from the last {@code lastQ}
 *       queries of that modality's last span, applied to that modality's rows only (rows are partitioned by
 *       modality, keys keep their order);
 *   <li>{@link Boundary#QUERY_KEY} ("2D-Boundary"): additionally one index per key modality (verticals and
 *       diagonals ranked among that modality's keys, slash ranges clipped to its spans), i.e. one vertical-slash
 *       pattern per quadrant. The reference code never implemented this case; this quadrant-wise vertical-slash is
 *       our reading of its plan.
 * </ul>
 * The forced diagonals are 100 as at run time in the reference (its search used 30); we use 100 in both places.
 *
 * <p>{@code targetRecall} (issue 17; 0: off): the budgets {@code v} and {@code s} are where the online step starts;
 * while the estimation rows' softmax mass kept by the block-index mask is below the target, both budgets double
 * (per query/key group; {@link VsEstimator}). {@link PatternSearch} stores each head's budget as the smallest of its
 * ladder that reached the target on the calibration prompts, and the target with it; a fixed budget can miss the
 * target on a longer prompt, where the same lines hold less of the mass.
 */
public record VerticalSlashPattern(int v, int s, int lastQ, Boundary boundary, double targetRecall)
    implements HeadPattern {
  static final int FORCED_VERTICALS = 30;
  static final int FORCED_SLASHES = 100;

  /** How rows and keys are split by modality. */
  public enum Boundary {
    NONE("no-boundary"),
    QUERY("q-boundary"),
    QUERY_KEY("2d-boundary");

    private final String id;

    Boundary(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Boundary of(String id) {
      for (Boundary b : values()) {
        if (b.id.equals(id)) {
          return b;
        }
      }
      throw new IllegalArgumentException("unknown boundary '" + id + "' (allowed: " + String.join(", ",
          java.util.Arrays.stream(values()).map(Boundary::id).toList()) + ")");
    }
  }

  public VerticalSlashPattern {
    if (v < 1 || s < 1 || lastQ < 1) {
      throw new IllegalArgumentException("vertical-slash needs v, s, lastQ >= 1, got " + v + "/" + s + "/" + lastQ);
    }
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("vertical-slash target recall must be in [0, 1] (0: fixed budget), got "
          + targetRecall);
    }
  }

  /** Fixed budgets, no online growth. */
  public VerticalSlashPattern(int v, int s, int lastQ, Boundary boundary) {
    this(v, s, lastQ, boundary, 0);
  }

  /** The same budgets with another target recall (0: fixed budget). */
  public VerticalSlashPattern withTargetRecall(double target) {
    return new VerticalSlashPattern(v, s, lastQ, boundary, target);
  }

  @Override
  public ResolvedPattern resolve(PatternInput input) {
    int q0 = input.q0();
    int q1 = input.q1();
    if (q1 < BlockSparseKernel.BLOCK) {
      return ResolvedPattern.dense(q0, q1);
    }
    ModalityLayout layout = input.layout();
    List<Modality> queryGroups = boundary == Boundary.NONE ? java.util.Collections.singletonList(null)
        : modalitiesIn(layout, q0, q1);
    List<Modality> keyGroups = boundary == Boundary.QUERY_KEY ? modalitiesIn(layout, 0, q1)
        : java.util.Collections.singletonList(null);
    VsIndex[][] index = new VsIndex[Modality.values().length + 1][Modality.values().length + 1];
    StringBuilder note = new StringBuilder();
    for (Modality mq : queryGroups) {
      int[] rows = estimationRows(layout, mq, q0, q1);
      float[][] a = VsEstimator.softmaxRows(input.in(), rows); // the same rows for every key group
      for (Modality mk : keyGroups) {
        VsEstimator.Estimate e = VsEstimator.estimate(a, rows, intervals(layout, mk, q1), budgetV(q1),
            budgetS(q1), targetRecall);
        index[slot(mq)][slot(mk)] = e.index();
        if (targetRecall > 0) {
          note.append(note.isEmpty() ? "" : " ").append(mq == null ? "" : mq.name().toLowerCase(java.util.Locale.ROOT))
              .append(mk == null ? "" : "->" + mk.name().toLowerCase(java.util.Locale.ROOT)).append(mq == null ? "" : ":")
              .append(String.format(java.util.Locale.ROOT, "v=%d,s=%d,est=%.4f", e.index().verticals().length,
                  e.index().slashes().length, e.keptMass()));
        }
      }
    }
    boolean byQuery = queryGroups.get(0) != null;
    boolean byKey = keyGroups.get(0) != null;
    AttentionMask mask = (i, j) -> j <= i
        && index[byQuery ? slot(layout.modalityAt(i)) : 0][byKey ? slot(layout.modalityAt(j)) : 0].keeps(i, j);
    List<RowTask> tasks = new ArrayList<>();
    for (int[] block : Blocks.rowBlocks(q0, q1)) {
      for (Modality mq : queryGroups) {
        int[] rows = java.util.stream.IntStream.range(block[0], block[1])
            .filter(i -> mq == null || layout.modalityAt(i) == mq).toArray();
        if (rows.length > 0) {
          tasks.add(new RowTask(rows, spans(index[slot(mq)], keyGroups, layout, q1, block)));
        }
      }
    }
    return new ResolvedPattern(mask, new SparsePlan(q0, q1, List.<RowTask[]>of(tasks.toArray(RowTask[]::new))), false,
        note.toString());
  }

  private int budgetV(int n) {
    return Math.min(n, Math.max(v, FORCED_VERTICALS));
  }

  private int budgetS(int n) {
    return Math.min(n, Math.max(s, 50));
  }

  private static int slot(Modality m) {
    return m == null ? 0 : m.ordinal() + 1;
  }

  private static List<Modality> modalitiesIn(ModalityLayout layout, int from, int to) {
    List<Modality> out = new ArrayList<>();
    for (Span sp : layout.spans()) {
      if (sp.start() < to && sp.end() > from && !out.contains(sp.modality())) {
        out.add(sp.modality());
      }
    }
    return out;
  }

  /** The last {@code lastQ} rows of the last span of {@code m} (all rows if null) inside {@code [q0, q1)}. */
  private int[] estimationRows(ModalityLayout layout, Modality m, int q0, int q1) {
    int end = q1;
    int start = q0;
    if (m != null) {
      for (Span sp : layout.spans()) {
        if (sp.modality() == m && sp.start() < q1 && sp.end() > q0) {
          start = Math.max(q0, sp.start());
          end = Math.min(q1, sp.end());
        }
      }
    }
    int from = Math.max(start, end - lastQ);
    return RowTask.rows(from, 1, end - from);
  }

  /** Key intervals of modality {@code m} below {@code limit} (everything if null). */
  private static int[][] intervals(ModalityLayout layout, Modality m, int limit) {
    if (m == null) {
      return new int[][] {{0, limit}};
    }
    return layout.spans().stream().filter(sp -> sp.modality() == m && sp.start() < limit)
        .map(sp -> new int[] {sp.start(), Math.min(limit, sp.end())}).toArray(int[][]::new);
  }

  /** Block ranges (clipped to each key group's intervals) plus the gathered columns, for one row block. */
  private static KeySpan[] spans(VsIndex[] byKey, List<Modality> keyGroups, ModalityLayout layout, int q1,
      int[] block) {
    int m1 = VsIndex.blockEnd(block[0]);
    int rowEnd = block[1];
    List<KeySpan> out = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    for (Modality mk : keyGroups) {
      VsIndex idx = byKey[slot(mk)];
      List<int[]> ranges = idx.ranges(m1);
      int[][] ivs = intervals(layout, mk, q1);
      for (int[] r : ranges) {
        for (int[] iv : ivs) {
          int a = Math.max(r[0], iv[0]);
          int b = Math.min(Math.min(r[1], iv[1]), rowEnd);
          if (a < b) {
            out.add(KeySpan.run(a, b)); // one tile per 64-key range, as the reference
          }
        }
      }
      for (int c : idx.columns(ranges, rowEnd)) {
        columns.add(c);
      }
    }
    if (!columns.isEmpty()) {
      int[] cols = columns.stream().mapToInt(Integer::intValue).toArray();
      Arrays.sort(cols);
      out.add(KeySpan.list(cols));
    }
    return out.toArray(KeySpan[]::new);
  }

  @Override
  public String describe() {
    return "vertical-slash(v=" + v + ",s=" + s + ",last-q=" + lastQ + "," + boundary.id()
        + (targetRecall > 0 ? ",target=" + targetRecall : "") + ")";
  }
}
