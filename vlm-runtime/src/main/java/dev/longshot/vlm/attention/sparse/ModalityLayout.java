package dev.longshot.vlm.attention.sparse;

import dev.longshot.vlm.multimodal.Modality;
import java.util.ArrayList;
import java.util.List;

/**
 * The modality layout of a prompt, as the sparse patterns need it: consecutive spans covering positions
 * {@code [0, length())}, each text or vision, plus the vision geometry ({@code tokensPerFrame}: tokens of one frame,
 * MMInference's frame stride; {@code tokensPerRow}: tokens of one row of image patches, its spatial stride; 0 when
 * there is no vision). This is the runtime's own small view of the prompt so the attention code does not depend on
 * how the multimodal prompt is built; an adapter from the prompt builder's layout produces it. Immutable.
 */
public record ModalityLayout(List<Span> spans, int tokensPerFrame, int tokensPerRow) {
  /** Positions {@code [start, end)} of one modality. */
  public record Span(int start, int end, Modality modality) {}

  public ModalityLayout {
    spans = List.copyOf(spans);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a layout needs at least one span");
    }
    int at = 0;
    for (Span s : spans) {
      if (s.start() != at || s.end() <= s.start()) {
        throw new IllegalArgumentException("layout spans must be consecutive and non-empty from 0: span " + s
            + " after position " + at);
      }
      at = s.end();
    }
    if (tokensPerFrame < 0 || tokensPerRow < 0) {
      throw new IllegalArgumentException("tokens per frame/row must be >= 0, got " + tokensPerFrame + "/"
          + tokensPerRow);
    }
  }

  /**
   * The sparse-attention view of a multimodal prompt: adjacent ranges of one modality become one span (consecutive
   * frames are one vision span), tokens per frame and per row come from the first vision range's grid.
   */
  public static ModalityLayout of(dev.longshot.vlm.multimodal.PromptLayout layout) {
    List<Span> spans = new ArrayList<>();
    for (dev.longshot.vlm.multimodal.PromptLayout.Range r : layout.ranges()) {
      Span last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
      if (last != null && last.modality() == r.modality() && last.end() == r.start()) {
        spans.set(spans.size() - 1, new Span(last.start(), r.end(), r.modality()));
      } else {
        spans.add(new Span(r.start(), r.end(), r.modality()));
      }
    }
    List<dev.longshot.vlm.multimodal.PromptLayout.Range> vision = layout.visionRanges();
    return vision.isEmpty() ? new ModalityLayout(spans, 0, 0)
        : new ModalityLayout(spans, vision.get(0).length(), vision.get(0).cols());
  }

  /** A text-only prompt of {@code length} tokens. */
  public static ModalityLayout text(int length) {
    return new ModalityLayout(List.of(new Span(0, length, Modality.TEXT)), 0, 0);
  }

  /** {@code prefix} text tokens, {@code frames} frames of {@code tokensPerFrame} vision tokens, {@code suffix} text. */
  public static ModalityLayout video(int prefix, int frames, int tokensPerFrame, int tokensPerRow, int suffix) {
    List<Span> s = new ArrayList<>();
    int at = 0;
    if (prefix > 0) {
      s.add(new Span(0, prefix, Modality.TEXT));
      at = prefix;
    }
    s.add(new Span(at, at + frames * tokensPerFrame, Modality.VISION));
    at += frames * tokensPerFrame;
    if (suffix > 0) {
      s.add(new Span(at, at + suffix, Modality.TEXT));
    }
    return new ModalityLayout(s, tokensPerFrame, tokensPerRow);
  }

  /** {@code rounds} times: {@code text} text tokens then one frame of vision tokens; then {@code text} text tokens. */
  public static ModalityLayout interleaved(int rounds, int text, int tokensPerFrame, int tokensPerRow) {
    List<Span> s = new ArrayList<>();
    int at = 0;
    for (int r = 0; r < rounds; r++) {
      s.add(new Span(at, at + text, Modality.TEXT));
      s.add(new Span(at + text, at + text + tokensPerFrame, Modality.VISION));
      at += text + tokensPerFrame;
    }
    s.add(new Span(at, at + text, Modality.TEXT));
    return new ModalityLayout(s, tokensPerFrame, tokensPerRow);
  }

  public int length() {
    return spans.get(spans.size() - 1).end();
  }

  public Modality modalityAt(int position) {
    int lo = 0;
    int hi = spans.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spans.get(mid).end() <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return spans.get(lo).modality();
  }

  /** First vision position, or -1. */
  public int visionStart() {
    return spans.stream().filter(s -> s.modality() == Modality.VISION).mapToInt(Span::start).findFirst().orElse(-1);
  }

  /** One past the last vision position, or -1. */
  public int visionEnd() {
    return spans.stream().filter(s -> s.modality() == Modality.VISION).mapToInt(Span::end).max().orElse(-1);
  }

  /** More than one vision span (vision and text interleave): MMInference's mixed-modality case. */
  public boolean mixed() {
    return spans.stream().filter(s -> s.modality() == Modality.VISION).count() > 1;
  }

  /** The spans of {@code m}, in order. */
  public List<Span> spansOf(Modality m) {
    return spans.stream().filter(s -> s.modality() == m).toList();
  }
}
