package dev.longshot.config;

import java.nio.file.Path;

/**
 * The embedded transformer runtime (section {@code vlm}).
 *
 * @param model a GGUF file or a safetensors directory (with config.json and tokenizer.json)
 * @param threads worker threads for the matmul kernels; 0 means one per available core
 * @param contextLength maximum tokens in the KV cache
 * @param maxTokens default cap on generated tokens
 * @param attention prefill attention: dense, or mminference (sparse, needs {@code attentionPatterns})
 * @param attentionPatterns the pattern file {@code longshot attention-search} wrote for this model
 */
public record VlmSettings(Path model, int threads, int contextLength, int maxTokens, VlmAttention attention,
    Path attentionPatterns) {
  public VlmSettings {
    Check.range("vlm.threads", threads, 0, 1024);
    Check.range("vlm.context-length", contextLength, 16, 1 << 20);
    Check.range("vlm.max-tokens", maxTokens, 1, 1 << 20);
    if (attention == null) {
      attention = VlmAttention.DENSE;
    }
    if (attention == VlmAttention.MMINFERENCE && attentionPatterns == null) {
      throw new ConfigException("vlm.attention-patterns", null,
          "a pattern file (from longshot attention-search) is required when vlm.attention is mminference");
    }
  }

  /** Dense attention. */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens) {
    this(model, threads, contextLength, maxTokens, VlmAttention.DENSE, null);
  }

  /** {@link #threads()} with 0 resolved to the number of available processors. */
  public int effectiveThreads() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }
}
