package dev.longshot.vlm.attention.sparse;

/**
 * What a head pattern may look at when it is resolved for one prefill: the head's operands, the rows
 * {@code [in.q0(), q1)} (keys {@code [0, q1)}), and the prompt's modality layout (covering at least {@code q1}).
 */
public record PatternInput(BlockSparseKernel.HeadInput in, int q1, ModalityLayout layout) {
  public PatternInput {
    if (layout.length() < q1) {
      throw new IllegalArgumentException("the modality layout covers " + layout.length()
          + " tokens but the prompt has at least " + q1);
    }
  }

  public int q0() {
    return in.q0();
  }
}
