package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.attention.AttentionObserver;
import dev.longshot.vlm.attention.AttentionShape;
import dev.longshot.vlm.attention.DenseAttention;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.attention.PrefillAttention;
import dev.longshot.vlm.attention.PrefillBatch;
import dev.longshot.vlm.tensor.Parallel;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * MMInference sparse prefill: each head runs the pattern {@link AttentionPatterns} gives it (heads without one are
 * dense), resolved against the prompt's {@link ModalityLayout}, on the {@link BlockSparseKernel}; heads one after
 * the other, each on all threads. Set the layout of each prompt with {@link #setLayout} before its prefill (none:
 * the prompt is text). The batch must cover consecutive positions whose keys are cache entries with the same
 * indices (an uncompressed prefill cache); otherwise the batch is computed densely. Counts the 64x64 blocks it
 * computes against dense causal attention ({@link #blockShare}). The batch's {@link AttentionObserver} gets, for
 * each row it observes, the final softmax weights of the keys in the computed blocks and 0 for the keys skipped.
 * Thread-safe for one prompt at a time.
 */
public final class MMInferenceAttention implements PrefillAttention {
  private final AttentionPatterns patterns;
  private volatile ModalityLayout layout;
  private final DoubleAdder computed = new DoubleAdder();
  private final DoubleAdder dense = new DoubleAdder();

  public MMInferenceAttention(AttentionPatterns patterns) {
    this.patterns = patterns;
  }

  /** The layout of the next prompt (null: text only). */
  public void setLayout(ModalityLayout layout) {
    this.layout = layout;
  }

  /** Share of the causal 64x64 blocks computed since the last {@link #resetStats} (1.0 when nothing ran). */
  public double blockShare() {
    double d = dense.sum();
    return d == 0 ? 1.0 : computed.sum() / d;
  }

  public void resetStats() {
    computed.reset();
    dense.reset();
  }

  @Override
  public void attend(PrefillBatch b, KvCache cache, Parallel parallel) {
    AttentionShape s = b.shape();
    int q0 = b.positions()[0];
    int q1 = q0 + b.count();
    if (b.positions()[b.count() - 1] != q1 - 1 || !indexedByPosition(cache, b.layer(), s, q1)) {
      new DenseAttention().attend(b, cache, parallel);
      double blocks = s.heads() * BlockSparseKernel.denseBlocks(q0, q1);
      computed.add(blocks);
      dense.add(blocks);
      return;
    }
    ModalityLayout l = layout != null ? layout : ModalityLayout.text(q1);
    if (l.length() < q1) {
      throw new IllegalArgumentException("the modality layout covers " + l.length() + " tokens but the prompt has "
          + q1 + " (a layout for another prompt?)");
    }
    int d = s.headDim();
    AttentionObserver observer = b.observer();
    float[] lse = observer == null ? null : new float[q1 - q0];
    for (int head = 0; head < s.heads(); head++) {
      int kv = s.kvHeadOf(head);
      BlockSparseKernel.HeadInput in = new BlockSparseKernel.HeadInput(b.q(), head * d, q0,
          cache.keys(b.layer(), kv), cache.values(b.layer(), kv), d, s.scale());
      HeadPattern p = patterns.patternOf(b.layer(), head);
      ResolvedPattern rp = p.resolve(new PatternInput(in, q1, l));
      computed.add(BlockSparseKernel.run(rp.plan(), in, b.out(), head * d, parallel, null, lse));
      dense.add(BlockSparseKernel.denseBlocks(q0, q1));
      if (observer != null) {
        report(observer, b.layer(), head, rp.plan(), in, lse, q1);
      }
    }
  }

  /** Each observed row's weights over the keys of its computed tiles ({@code exp(s - lse)}), 0 elsewhere. */
  private static void report(AttentionObserver observer, int layer, int head, SparsePlan plan,
      BlockSparseKernel.HeadInput in, float[] lse, int q1) {
    java.util.List<java.util.List<RowTask>> byRow = null;
    float[] weights = new float[q1];
    int d = in.headDim();
    for (int i = plan.q0(); i < q1; i++) {
      if (!observer.observes(layer, i)) {
        continue;
      }
      if (byRow == null) {
        byRow = plan.tasksByRow();
      }
      java.util.Arrays.fill(weights, 0f);
      float[] q = in.q()[i - plan.q0()];
      for (RowTask t : byRow.get(i - plan.q0())) {
        for (KeySpan span : t.spans()) {
          for (int c = 0; c < span.count(); c++) {
            int j = span.key(c);
            long lag = (long) i - j;
            if (lag >= span.minLag() && lag < span.maxLag()) {
              float s = dev.longshot.vlm.tensor.VectorMath.dot(q, in.qOffset(), in.keys(), j * d, d) * in.scale();
              weights[j] = (float) Math.exp(s - lse[i - plan.q0()]);
            }
          }
        }
      }
      observer.onRow(layer, head, i, weights, i + 1);
    }
  }

  /** Whether entries {@code [0, q1)} of every kv head sit at positions {@code 0..q1-1}. */
  private static boolean indexedByPosition(KvCache cache, int layer, AttentionShape s, int q1) {
    for (int kv = 0; kv < s.kvHeads(); kv++) {
      if (cache.size(layer, kv) < q1 || cache.position(layer, kv, q1 - 1) != q1 - 1) {
        return false;
      }
    }
    return true;
  }
}
