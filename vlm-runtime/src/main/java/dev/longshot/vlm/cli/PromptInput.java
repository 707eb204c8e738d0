package dev.longshot.vlm.cli;

import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import dev.longshot.vlm.model.Transformer;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import java.util.List;

/**
 * A prompt ready for one prefill outside {@link TextGenerator#generate}: its token ids, its input embeddings (the
 * vision encoder's output at image positions, null elsewhere; null altogether for a text prompt) and its modality
 * layout, which the sparse patterns resolve against (grid and boundary heads need the vision spans). Used by
 * {@code attention-search} and the sparse-prefill benchmark's real-model report. Immutable once built.
 */
public record PromptInput(int[] ids, float[][] embeddings, ModalityLayout layout) {
  /** A text prompt, encoded as {@code generate} encodes it. */
  public static PromptInput text(TextGenerator g, String text) {
    int[] ids = g.encodePrompt(text);
    return new PromptInput(ids, null, ModalityLayout.text(ids.length));
  }

  /** A SmolVLM prompt: each {@code <image>} in {@code text} marks the next picture; pictures without one go first. */
  public static PromptInput withImages(SmolVlm m, String text, List<SmolVlmProcessor.Picture> pictures) {
    MultimodalPrompt p = m.prompt(text, pictures);
    return new PromptInput(p.ids(), m.embeddings(p), ModalityLayout.of(p.layout()));
  }

  public int length() {
    return ids.length;
  }

  /** Tokens in vision spans. */
  public int visionTokens() {
    return layout.spansOf(dev.longshot.vlm.multimodal.Modality.VISION).stream().mapToInt(s -> s.end() - s.start())
        .sum();
  }

  /** The input rows of positions {@code [start, start + n)} for {@link Transformer#forward(float[][], int, int,
   * dev.longshot.vlm.attention.KvCache, dev.longshot.vlm.attention.AttentionStrategies, boolean)}. */
  public float[][] rows(Transformer t, int start, int n) {
    float[][] x = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] e = embeddings == null ? null : embeddings[start + i];
      x[i] = e != null ? e.clone() : t.embed(ids[start + i]);
    }
    return x;
  }
}
