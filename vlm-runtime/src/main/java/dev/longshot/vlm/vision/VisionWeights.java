package dev.longshot.vlm.vision;

import dev.longshot.vlm.tensor.FloatTensor;

/**
 * Weights of the vision tower and connector; matrices {@code [out][in]} row-major, as in PyTorch.
 *
 * @param patchWeight the patch embedding as a matrix {@code [dim][3 * patch * patch]} (Conv2d weight
 *     {@code [dim][3][patch][patch]} flattened; input order channel, row, column)
 * @param patchBias {@code [dim]}
 * @param positions position table {@code [(image/patch)^2][dim]}
 * @param layers encoder layers
 * @param postNormWeight post-LayerNorm weight {@code [dim]}
 * @param postNormBias post-LayerNorm bias {@code [dim]}
 * @param projection connector projection {@code [textDim][dim * scale^2]}, no bias
 */
public record VisionWeights(FloatTensor patchWeight, float[] patchBias, FloatTensor positions, Layer[] layers,
    float[] postNormWeight, float[] postNormBias, FloatTensor projection) {

  /** One pre-norm encoder layer; every linear map has a bias. */
  public record Layer(float[] norm1Weight, float[] norm1Bias, FloatTensor wq, float[] bq, FloatTensor wk, float[] bk,
      FloatTensor wv, float[] bv, FloatTensor wo, float[] bo, float[] norm2Weight, float[] norm2Bias, FloatTensor fc1,
      float[] fc1Bias, FloatTensor fc2, float[] fc2Bias) {}
}
