package dev.longshot.config;

/**
 * How the Java vision tower of a SmolVLM / SmolVLM2 model multiplies ({@code vlm.vision-precision}): its weights are
 * float32 / float16 / bfloat16, and where the native prefill GEMM runs (oneDNN on a CPU with AVX-512 BF16) its
 * products can run in either precision. Where the Java GEMM runs both read as {@code f32}.
 */
public enum VisionPrecision implements ConfigChoice {
  /**
   * Products in bfloat16 (weights and activations rounded to nearest even, float32 sums) on AMX / AVX-512 BF16: the
   * faster one; image embeddings move by about 1 % of their scale (vlm-runtime's {@code VisionEncoderTest} bounds it).
   */
  BF16,
  /** Products in float32: the embeddings within 1e-4 of the double-precision reference. */
  F32;

  @Override
  public String toString() {
    return configName();
  }
}
