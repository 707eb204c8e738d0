package dev.longshot.vlm.sample;

import dev.longshot.config.VlmSettings;
import java.util.List;

/**
 * How to pick tokens and when to stop.
 *
 * @param maxTokens most tokens to generate (1..{@link VlmSettings#MAX_TOKENS}; also capped by the free context)
 * @param temperature softmax temperature; 0 means greedy (argmax), allowed 0..100
 * @param topK keep the k most likely tokens; 0 = off
 * @param topP keep the smallest set whose probability reaches p (nucleus); 1 = off, allowed (0, 1]
 * @param repetitionPenalty divide positive / multiply negative logits of recent tokens by this (llama.cpp style);
 *     1 = off, allowed (0, 10]
 * @param repeatLastN how many recent tokens the penalty looks at (0 = off)
 * @param seed random seed of the sampler
 * @param stopStrings generation stops before the first occurrence of any of these in the output
 */
public record GenerationSettings(int maxTokens, float temperature, int topK, float topP, float repetitionPenalty,
    int repeatLastN, long seed, List<String> stopStrings) {
  /** Recent tokens the repetition penalty looks at unless told otherwise (llama.cpp's default). */
  public static final int DEFAULT_REPEAT_LAST_N = 64;

  public GenerationSettings {
    if (maxTokens < 1 || maxTokens > VlmSettings.MAX_TOKENS) {
      throw new IllegalArgumentException("maxTokens must be 1.." + VlmSettings.MAX_TOKENS + ", got " + maxTokens);
    }
    if (!(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException("temperature must be 0..100 (0 = greedy), got " + temperature);
    }
    if (topK < 0 || topK > 1_000_000) {
      throw new IllegalArgumentException("topK must be 0..1000000 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (!(repetitionPenalty > 0 && repetitionPenalty <= 10)) {
      throw new IllegalArgumentException("repetitionPenalty must be in (0, 10], got " + repetitionPenalty);
    }
    if (repeatLastN < 0 || repeatLastN > 1_000_000) {
      throw new IllegalArgumentException("repeatLastN must be 0..1000000, got " + repeatLastN);
    }
    stopStrings = List.copyOf(stopStrings == null ? List.of() : stopStrings);
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop strings must not be empty");
      }
    }
  }

  /** Greedy decoding of at most {@code maxTokens}, no penalties, no stop strings. */
  public static GenerationSettings greedy(int maxTokens) {
    return new GenerationSettings(maxTokens, 0f, 0, 1f, 1f, DEFAULT_REPEAT_LAST_N, 0L, List.of());
  }

  public GenerationSettings withMaxTokens(int n) {
    return new GenerationSettings(n, temperature, topK, topP, repetitionPenalty, repeatLastN, seed, stopStrings);
  }

  public GenerationSettings withSampling(float temp, int k, float p, long randomSeed) {
    return new GenerationSettings(maxTokens, temp, k, p, repetitionPenalty, repeatLastN, randomSeed, stopStrings);
  }

  public GenerationSettings withRepetitionPenalty(float penalty, int lastN) {
    return new GenerationSettings(maxTokens, temperature, topK, topP, penalty, lastN, seed, stopStrings);
  }

  public GenerationSettings withStopStrings(List<String> stops) {
    return new GenerationSettings(maxTokens, temperature, topK, topP, repetitionPenalty, repeatLastN, seed, stops);
  }
}
