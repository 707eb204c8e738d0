package dev.longshot.vlm.multimodal;

import java.util.List;

/**
 * A prompt ready for prefill: the token ids (image-token runs where the vision embeddings go), the
 * {@link PromptLayout} of those ids, and the processed tiles whose embeddings fill the vision ranges in order.
 *
 * @param ids token ids, BOS included when the tokenizer adds one
 * @param layout which positions are vision and which text
 * @param tiles normalised tiles ({@code 3 x side x side}, channels first), one per vision range, in order
 * @param side tile side in pixels
 */
public record MultimodalPrompt(int[] ids, PromptLayout layout, List<float[]> tiles, int side) {
  public MultimodalPrompt {
    if (layout.length() != ids.length || layout.visionRanges().size() != tiles.size()) {
      throw new IllegalArgumentException("prompt of " + ids.length + " ids and " + tiles.size() + " tiles does not "
          + "match its layout of " + layout.length() + " positions and " + layout.visionRanges().size()
          + " vision ranges");
    }
    tiles = List.copyOf(tiles);
  }
}
