/**
 * Text embeddings on ONNX Runtime. {@link dev.longshot.embeddings.TextEmbedders#create} builds the configured
 * {@link dev.longshot.capabilities.TextEmbedder} (bundled BGE-small-en-v1.5 by default), tokenised by the model's own
 * tokenizer.json; {@link dev.longshot.config.ContextStrategy} selects how texts beyond the 512-token window are
 * handled (truncation, parallel windows, position interpolation, grouped positions; LongEmbed, Zhu et al. 2024).
 * CUDA is used when the GPU runtime and a device are present, CPU otherwise.
 */
package dev.longshot.embeddings;
