package dev.longshot.vlm.attention.sparse;

import java.util.ArrayList;
import java.util.List;

/**
 * A-shape head: every row keeps the first {@code sink} keys and the last {@code local} keys before it
 * ({@code j < sink || i - j < local}, MMInference's search mask {@code a_shape}, defaults 128 / 4096). When the
 * prompt has text after its vision tokens, those trailing text rows attend densely (the runtime's "Tri-shape":
 * {@code n_last = N - vision end}), so the question sees the whole video.
 */
public record AShapePattern(int sink, int local) implements HeadPattern {
  public AShapePattern {
    if (sink < 0 || local < 1) {
      throw new IllegalArgumentException("a-shape needs sink >= 0 and local >= 1, got " + sink + "/" + local);
    }
  }

  @Override
  public ResolvedPattern resolve(PatternInput input) {
    int q0 = input.q0();
    int q1 = input.q1();
    if (q1 < BlockSparseKernel.BLOCK) {
      return ResolvedPattern.dense(q0, q1);
    }
    int ve = input.layout().visionEnd();
    int denseFrom = ve > 0 && ve < q1 ? ve : Integer.MAX_VALUE;
    AttentionMask mask = (i, j) -> j <= i && (j < sink || i - j < local || i >= denseFrom);
    List<RowTask> tasks = new ArrayList<>();
    for (int[] block : Blocks.rowBlocks(q0, q1, denseFrom)) {
      int m0 = block[0];
      int m1 = block[1];
      KeySpan[] spans = m0 >= denseFrom ? new KeySpan[] {KeySpan.range(0, m1)}
          : new KeySpan[] {KeySpan.range(0, Math.min(sink, m1)),
              KeySpan.window(Blocks.windowStart(sink, m0, local), m1, local)};
      tasks.add(new RowTask(RowTask.rows(m0, 1, m1 - m0), spans));
    }
    return new ResolvedPattern(mask, new SparsePlan(q0, q1, List.<RowTask[]>of(tasks.toArray(RowTask[]::new))));
  }

  @Override
  public String describe() {
    return "a-shape(sink=" + sink + ",local=" + local + ")";
  }
}
