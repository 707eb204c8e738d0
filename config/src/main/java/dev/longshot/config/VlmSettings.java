package dev.longshot.config;

import java.nio.file.Path;

/**
 * The embedded transformer runtime (section {@code vlm}).
 *
 * @param model a GGUF file or a safetensors directory (with config.json and tokenizer.json)
 * @param threads worker threads for the matmul kernels; 0 means one per available core
 * @param contextLength maximum tokens in the KV cache
 * @param maxTokens default cap on generated tokens
 */
public record VlmSettings(Path model, int threads, int contextLength, int maxTokens) {
  public VlmSettings {
    Check.range("vlm.threads", threads, 0, 1024);
    Check.range("vlm.context-length", contextLength, 16, 1 << 20);
    Check.range("vlm.max-tokens", maxTokens, 1, 1 << 20);
  }

  /** {@link #threads()} with 0 resolved to the number of available processors. */
  public int effectiveThreads() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }
}
