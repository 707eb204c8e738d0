/**
 * Token selection: {@link dev.longshot.vlm.sample.GenerationSettings} (validated knobs: temperature, top-k, top-p,
 * repetition penalty, stop strings, max tokens, seed) and the {@link dev.longshot.vlm.sample.Sampler} chain that
 * applies them to a logits vector.
 */
package dev.longshot.vlm.sample;
