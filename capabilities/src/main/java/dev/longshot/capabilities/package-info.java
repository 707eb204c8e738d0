/**
 * The model capabilities that retrieval consumes and the heavy modules implement, as plain interfaces with no
 * dependencies: {@link dev.longshot.capabilities.TextEmbedder} (implemented in {@code embeddings} on ONNX Runtime
 * and M2-BERT), {@link dev.longshot.capabilities.TextCompletion} (a text-only reply, used for model query
 * decomposition) and {@link dev.longshot.capabilities.VisionLanguageGenerator} (the embedded answer model's seam,
 * implemented in {@code app} on vlm-runtime). Keeping them here lets retrieval compile and test without ONNX
 * Runtime, DJL natives or the 133 MB BGE model jar.
 */
package dev.longshot.capabilities;
