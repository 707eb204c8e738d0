/**
 * llama.cpp as the independent reference: {@link dev.longshot.vlm.llamacpp.LlamaCppOracle} runs the
 * {@code de.kherud:llama} binding in a forked JVM (its threads outlive {@code close()}), and
 * {@link dev.longshot.vlm.llamacpp.LlamaCppProcess} launches and parses it.
 */
package dev.longshot.vlm.llamacpp;
