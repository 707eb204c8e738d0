package dev.longshot.vlm.model;

/**
 * Which dimensions RoPE rotates together. GGUF Llama checkpoints have their Q/K rows permuted by the converter so
 * that adjacent pairs {@code (2i, 2i+1)} rotate ({@link #INTERLEAVED}); Hugging Face Llama and Qwen2 (in both
 * formats) rotate {@code (i, i + d/2)} ({@link #NEOX}, "rotate_half").
 */
public enum RopeStyle {
  INTERLEAVED,
  NEOX
}
