package dev.longshot.config;

import java.nio.file.Path;

/**
 * The embedded transformer runtime (section {@code vlm}).
 *
 * @param model a GGUF file or a safetensors directory (with config.json and tokenizer.json)
 * @param threads worker threads for the matmul kernels; 0 means one per available core
 * @param contextLength maximum tokens in the KV cache
 * @param maxTokens default cap on generated tokens
 * @param kvPolicy what happens to the KV cache of a prompt with images after prefill (see {@link KvPolicy})
 * @param kvBudget share of the prompt's KV entries a compressing policy keeps, in (0, 1]; LOOK-M keeps every text
 *     entry even beyond it
 * @param kvRecentShare share of the budget given to the most recent entries, in (0, 1] (LOOK-M's reference splits
 *     its 20 % budget 10 % heavy hitters, 10 % recent: 0.5)
 * @param kvMerge how LOOK-M merges evicted entries (see {@link KvMerge})
 * @param attention prefill attention (see {@link VlmAttention}); {@code null} means dense
 * @param attentionPatterns with mminference: the pattern file {@code longshot attention-search} wrote for this model
 * @param visionEncoder the vision tower of a SmolVLM model (see {@link VisionEncoder}); null reads as {@code java}
 * @param splitKeyframes whether answer keyframes may be split into tiles (plus the global view) when every one of them
 *     fits the context that way; false: one unsplit view each, as SmolVLM2 treats video frames
 * @param visionPrecision the Java vision tower's products (see {@link VisionPrecision}); null reads as {@code bf16}
 */
public record VlmSettings(Path model, int threads, int contextLength, int maxTokens, KvPolicy kvPolicy, double kvBudget,
    double kvRecentShare, KvMerge kvMerge, VlmAttention attention, Path attentionPatterns, VisionEncoder visionEncoder,
    boolean splitKeyframes, VisionPrecision visionPrecision) {
  /** Most tokens one generation may ask for ({@code vlm.max-tokens}, {@code generate --max-tokens}). */
  public static final int MAX_TOKENS = 1 << 20;
  /** Largest KV cache, in tokens ({@code vlm.context-length}). */
  public static final int MAX_CONTEXT_LENGTH = 1 << 20;

  public VlmSettings {
    visionEncoder = visionEncoder == null ? VisionEncoder.JAVA : visionEncoder;
    visionPrecision = visionPrecision == null ? VisionPrecision.BF16 : visionPrecision;
    Check.range("vlm.threads", threads, 0, 1024);
    Check.range("vlm.context-length", contextLength, 16, MAX_CONTEXT_LENGTH);
    Check.range("vlm.max-tokens", maxTokens, 1, MAX_TOKENS);
    Check.present("vlm.kv-policy", kvPolicy, KvPolicy.class);
    openUnitInterval("vlm.kv-budget", kvBudget);
    openUnitInterval("vlm.kv-recent-share", kvRecentShare);
    Check.present("vlm.kv-merge", kvMerge, KvMerge.class);
    attention = attention == null ? VlmAttention.DENSE : attention;
    if (attention == VlmAttention.MMINFERENCE && attentionPatterns == null) {
      throw new ConfigException("vlm.attention-patterns", null,
          "a pattern file (from longshot attention-search) is required when vlm.attention is mminference");
    }
  }

  /** The default vision precision. */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens, KvPolicy kvPolicy, double kvBudget,
      double kvRecentShare, KvMerge kvMerge, VlmAttention attention, Path attentionPatterns,
      VisionEncoder visionEncoder, boolean splitKeyframes) {
    this(model, threads, contextLength, maxTokens, kvPolicy, kvBudget, kvRecentShare, kvMerge, attention,
        attentionPatterns, visionEncoder, splitKeyframes, null);
  }

  /** Unsplit keyframes. */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens, KvPolicy kvPolicy, double kvBudget,
      double kvRecentShare, KvMerge kvMerge, VlmAttention attention, Path attentionPatterns,
      VisionEncoder visionEncoder) {
    this(model, threads, contextLength, maxTokens, kvPolicy, kvBudget, kvRecentShare, kvMerge, attention,
        attentionPatterns, visionEncoder, false);
  }

  /** The Java vision tower. */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens, KvPolicy kvPolicy, double kvBudget,
      double kvRecentShare, KvMerge kvMerge, VlmAttention attention, Path attentionPatterns) {
    this(model, threads, contextLength, maxTokens, kvPolicy, kvBudget, kvRecentShare, kvMerge, attention,
        attentionPatterns, VisionEncoder.JAVA);
  }

  /** Dense prefill attention. */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens, KvPolicy kvPolicy, double kvBudget,
      double kvRecentShare, KvMerge kvMerge) {
    this(model, threads, contextLength, maxTokens, kvPolicy, kvBudget, kvRecentShare, kvMerge,
        VlmAttention.DENSE, null);
  }

  /** A runtime that keeps the full KV cache (the settings before KV compression existed). */
  public VlmSettings(Path model, int threads, int contextLength, int maxTokens) {
    this(model, threads, contextLength, maxTokens, KvPolicy.FULL, 1.0, 0.5, KvMerge.PIVOTAL);
  }

  /** {@link #threads()} with 0 resolved to the number of available processors. */
  public int effectiveThreads() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }

  private static void openUnitInterval(String key, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new ConfigException(key, value, "allowed is a number in (0, 1]");
    }
  }
}
