package dev.longshot.vlm.model;

import dev.longshot.vlm.ModelFormatException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The decoder families the runtime implements. Both are pre-norm RMSNorm / RoPE / grouped-query attention / SwiGLU
 * transformers; Qwen2 adds biases to the Q, K and V projections and rotates with the NeoX pairing.
 */
public enum Architecture {
  /** Llama 2/3, SmolLM2 (the text side of SmolVLM), Mistral-style checkpoints without sliding windows. */
  LLAMA("llama"),
  /** Qwen2 and Qwen2.5 (QKV biases, often tied embeddings). */
  QWEN2("qwen2");

  private final String ggufName;

  Architecture(String ggufName) {
    this.ggufName = ggufName;
  }

  /** The {@code general.architecture} value in GGUF files. */
  public String ggufName() {
    return ggufName;
  }

  public static Architecture fromGguf(String name, Object source) {
    for (Architecture a : values()) {
      if (a.ggufName.equals(name)) {
        return a;
      }
    }
    throw new ModelFormatException(source + ": architecture '" + name + "' is not supported; supported: "
        + Arrays.stream(values()).map(Architecture::ggufName).toList());
  }

  /** From a Hugging Face config.json {@code model_type} (or the first of {@code architectures}). */
  public static Architecture fromHf(String modelType, Object source) {
    String t = modelType == null ? "" : modelType.toLowerCase(Locale.ROOT);
    if (t.equals("llama") || t.equals("llamaforcausallm") || t.equals("mistral")) {
      return LLAMA;
    }
    if (t.equals("qwen2") || t.equals("qwen2forcausallm")) {
      return QWEN2;
    }
    throw new ModelFormatException(source + ": model_type '" + modelType + "' is not supported; supported: llama, qwen2");
  }
}
