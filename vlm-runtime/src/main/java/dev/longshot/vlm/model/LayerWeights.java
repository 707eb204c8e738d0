package dev.longshot.vlm.model;

import dev.longshot.vlm.tensor.FloatTensor;

/**
 * One decoder block. Matrices are {@code [out][in]} row-major; biases ({@code bq, bk, bv}) are null for Llama.
 */
public record LayerWeights(float[] attnNorm, FloatTensor wq, FloatTensor wk, FloatTensor wv, float[] bq, float[] bk,
    float[] bv, FloatTensor wo, float[] ffnNorm, FloatTensor wGate, FloatTensor wUp, FloatTensor wDown) {}
