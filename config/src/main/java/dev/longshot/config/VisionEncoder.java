package dev.longshot.config;

/**
 * Which vision tower a SmolVLM / SmolVLM2 model runs its images through ({@code vlm.vision-encoder},
 * {@code generate --vision-encoder}); both give the same image embeddings (vlm-runtime's {@code OnnxVisionEncoderTest},
 * with the Java tower's products in float32: {@link VisionPrecision}).
 */
public enum VisionEncoder implements ConfigChoice {
  /** The runtime's own Java tower on the model's weights (safetensors or mmproj GGUF). */
  JAVA,
  /**
   * The {@code onnx/vision_encoder.onnx} in the model's Hugging Face directory, on ONNX Runtime (CUDA when the runtime
   * has it and a device answers, CPU otherwise).
   */
  ONNX;

  @Override
  public String toString() {
    return configName();
  }
}
