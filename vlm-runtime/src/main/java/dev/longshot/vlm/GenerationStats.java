package dev.longshot.vlm;

import java.util.Locale;

/**
 * Figures of one generation, for {@code generate --stats} and benchmarks: prompt tokens and the time from the start
 * of prefill to the end of the KV-cache policy's compression, decode steps (tokens run through the model one at a
 * time) and their time, and the KV cache's bytes right after prefill ({@code kvBytesBefore}, full cache) and after
 * the policy compressed it ({@code kvBytes}; equal for the full policy).
 */
public record GenerationStats(int prefillTokens, long prefillNanos, int decodeTokens, long decodeNanos,
    long kvBytesBefore, long kvBytes) {

  /** Decode steps per second (0 when there were none). */
  public double decodeTokensPerSecond() {
    return decodeNanos == 0 ? 0 : decodeTokens / (decodeNanos / 1e9);
  }

  /**
   * The {@code --stats} line: {@code stats prefill_tokens=N prefill_ms=X decode_tokens=N decode_ms=X
   * decode_tok_s=X kv_bytes_before=N kv_bytes=N attention_block_share=F} (issue 17's line, with issue 18's KV
   * figures; the block share is 1.0 while prefill is dense).
   */
  public String line(double attentionBlockShare) {
    return String.format(Locale.ROOT, "stats prefill_tokens=%d prefill_ms=%.1f decode_tokens=%d decode_ms=%.1f "
        + "decode_tok_s=%.2f kv_bytes_before=%d kv_bytes=%d attention_block_share=%.3f", prefillTokens,
        prefillNanos / 1e6, decodeTokens, decodeNanos / 1e6, decodeTokensPerSecond(), kvBytesBefore, kvBytes,
        attentionBlockShare);
  }
}
