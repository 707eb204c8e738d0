/**
 * The SmolVLM / Idefics3 vision tower and connector on the runtime's kernels: {@link
 * dev.longshot.vlm.vision.VisionEncoder} (patch embedding, bucketed position embeddings, pre-LayerNorm encoder layers
 * with biases, post-LayerNorm, {@link dev.longshot.vlm.vision.PixelShuffle}, projection), its config and weights, and
 * the two loaders: {@link dev.longshot.vlm.vision.HfVisionLoader} (Hugging Face safetensors keys) and {@link
 * dev.longshot.vlm.vision.MmprojVisionLoader} (llama.cpp's mmproj GGUF). Semantics: shared/research/smolvlm.md.
 */
package dev.longshot.vlm.vision;
