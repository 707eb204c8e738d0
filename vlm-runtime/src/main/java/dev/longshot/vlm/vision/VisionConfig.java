package dev.longshot.vlm.vision;

/**
 * Hyper-parameters of an Idefics3 / SmolVLM vision tower and its connector.
 *
 * @param dim tower width ({@code vision_config.hidden_size})
 * @param hiddenDim MLP inner width ({@code intermediate_size})
 * @param layers encoder layers
 * @param heads attention heads
 * @param imageSize the square side (pixels) the position table is made for
 * @param patchSize square patch side (pixels)
 * @param layerNormEps LayerNorm epsilon
 * @param activation the MLP activation
 * @param scaleFactor pixel-shuffle factor of the connector (SmolVLM-256M/500M: 4)
 * @param textDim the decoder's width (the projection's output)
 */
public record VisionConfig(int dim, int hiddenDim, int layers, int heads, int imageSize, int patchSize,
    float layerNormEps, VisionActivation activation, int scaleFactor, int textDim) {
  public VisionConfig {
    for (int v : new int[] {dim, hiddenDim, layers, heads, imageSize, patchSize, scaleFactor, textDim}) {
      if (v <= 0) {
        throw new IllegalArgumentException("vision config values must be positive: dim " + dim + ", hidden "
            + hiddenDim + ", layers " + layers + ", heads " + heads + ", image " + imageSize + ", patch " + patchSize
            + ", scale factor " + scaleFactor + ", text dim " + textDim);
      }
    }
    if (dim % heads != 0) {
      throw new IllegalArgumentException("vision hidden_size " + dim + " is not a multiple of its " + heads
          + " heads");
    }
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException("vision image_size " + imageSize + " is not a multiple of patch_size "
          + patchSize);
    }
    if ((imageSize / patchSize) % scaleFactor != 0) {
      throw new IllegalArgumentException("the " + imageSize / patchSize + " patches per side are not a multiple of "
          + "the connector's scale_factor " + scaleFactor);
    }
    if ((long) dim * scaleFactor * scaleFactor > dev.longshot.vlm.ModelLimits.MAX_WIDTH) {
      throw new IllegalArgumentException("the connector's input width, vision hidden_size " + dim + " x scale_factor^2 "
          + (long) scaleFactor * scaleFactor + ", is over " + dev.longshot.vlm.ModelLimits.MAX_WIDTH);
    }
    if (!(layerNormEps > 0) || activation == null) {
      throw new IllegalArgumentException("layer_norm_eps must be positive and hidden_act set, got " + layerNormEps
          + ", " + activation);
    }
  }

  /** Patches per side of a full image ({@code image_size / patch_size}). */
  public int patchesPerSide() {
    return imageSize / patchSize;
  }

  public int headDim() {
    return dim / heads;
  }

  /** Values per patch fed to the patch embedding: 3 channels x patch x patch. */
  public int patchValues() {
    return 3 * patchSize * patchSize;
  }

  /** The connector's input width: {@code dim * scaleFactor^2}. */
  public int connectorInputDim() {
    return dim * scaleFactor * scaleFactor;
  }

  /** Decoder tokens per full image: {@code (image_size/patch_size)^2 / scale_factor^2} (SmolVLM-256M: 64). */
  public int imageSeqLen() {
    int n = patchesPerSide() / scaleFactor;
    return n * n;
  }
}
