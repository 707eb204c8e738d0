package dev.longshot.vlm.attention.sparse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one head computes its prefill rows {@code [q0, q1)}: passes of {@link RowTask}s. Within a pass every row
 * belongs to at most one task, so a pass runs its tasks in parallel; a row met again in a later pass scans further,
 * disjoint keys and its partial softmax state is merged by log-sum-exp (as {@link
 * dev.longshot.vlm.attention.RowState#merge}). Every row must be in the first pass. Immutable.
 */
public record SparsePlan(int q0, int q1, List<RowTask[]> passes) {
  public SparsePlan {
    passes = List.copyOf(passes);
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one pass");
    }
  }

  /** The exact causal plan: rows in 64-row blocks, keys {@code [0, row block end)}. */
  public static SparsePlan dense(int q0, int q1) {
    List<RowTask> tasks = new ArrayList<>();
    for (int m0 = q0; m0 < q1; m0 += BlockSparseKernel.BLOCK) {
      int m1 = Math.min(q1, m0 + BlockSparseKernel.BLOCK);
      tasks.add(new RowTask(RowTask.rows(m0, 1, m1 - m0), new KeySpan[] {KeySpan.range(0, m1)}));
    }
    return new SparsePlan(q0, q1, List.<RowTask[]>of(tasks.toArray(RowTask[]::new)));
  }

  /** Whether row {@code i} keeps key {@code j} under this plan (slow; for tests and recall). */
  public boolean keeps(int i, int j) {
    for (RowTask[] pass : passes) {
      for (RowTask t : pass) {
        if (Arrays.binarySearch(t.rows(), i) >= 0 && t.keeps(i, j)) {
          return true;
        }
      }
    }
    return false;
  }

  /** For every row, the tasks that hold it, one per pass at most: {@code [row - q0] -> tasks}. */
  public List<List<RowTask>> tasksByRow() {
    List<List<RowTask>> byRow = new ArrayList<>(q1 - q0);
    for (int i = q0; i < q1; i++) {
      byRow.add(new ArrayList<>(2));
    }
    for (RowTask[] pass : passes) {
      for (RowTask t : pass) {
        for (int i : t.rows()) {
          byRow.get(i - q0).add(t);
        }
      }
    }
    return byRow;
  }
}
