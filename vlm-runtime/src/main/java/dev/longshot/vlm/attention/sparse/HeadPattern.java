package dev.longshot.vlm.attention.sparse;

/**
 * The sparse attention shape of one head (MMInference, arXiv 2504.16083), chosen offline by {@link PatternSearch}
 * and resolved per prefill against the prompt's layout (and, for vertical-slash, an online estimate from the last
 * queries). Every pattern falls back to exact dense causal attention when the prompt or the span it needs is
 * shorter than one 64-token block.
 */
public sealed interface HeadPattern permits DensePattern, AShapePattern, GridPattern, VerticalSlashPattern {
  ResolvedPattern resolve(PatternInput input);

  /** Short description, e.g. {@code grid(stride=64,shift=0,h+v)}. */
  String describe();
}
