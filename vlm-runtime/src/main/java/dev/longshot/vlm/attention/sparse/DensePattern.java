package dev.longshot.vlm.attention.sparse;

/** Exact causal attention (heads without a pattern, and the fallback of every pattern). */
public record DensePattern() implements HeadPattern {
  @Override
  public ResolvedPattern resolve(PatternInput input) {
    return ResolvedPattern.dense(input.q0(), input.q1());
  }

  @Override
  public String describe() {
    return "dense";
  }
}
