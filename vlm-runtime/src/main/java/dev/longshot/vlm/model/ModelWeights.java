package dev.longshot.vlm.model;

import dev.longshot.vlm.tensor.FloatTensor;

/**
 * All weights of a decoder: token embeddings {@code [vocab][dim]}, the blocks, the final norm and the output
 * projection {@code [vocab][dim]} (the embedding table itself when embeddings are tied).
 */
public record ModelWeights(FloatTensor tokenEmbedding, LayerWeights[] layers, float[] outputNorm, FloatTensor output) {}
