/**
 * The decoder itself: {@link dev.longshot.vlm.model.ModelConfig} and weights read from GGUF
 * ({@link dev.longshot.vlm.model.GgufModelLoader}) or safetensors
 * ({@link dev.longshot.vlm.model.SafetensorsModelLoader}), and the forward pass
 * ({@link dev.longshot.vlm.model.Transformer}: RMSNorm, RoPE, grouped-query attention through the pluggable
 * strategies, SwiGLU) for the Llama and Qwen2 families.
 */
package dev.longshot.vlm.model;
