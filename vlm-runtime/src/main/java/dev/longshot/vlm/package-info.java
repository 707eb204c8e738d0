/**
 * Longshot's embedded transformer runtime: {@link dev.longshot.vlm.TextGenerator} loads a GGUF or safetensors model
 * (Llama family, Qwen2) and generates text with pure-Java Vector API kernels. Attention and the KV cache sit behind
 * the interfaces in {@code dev.longshot.vlm.attention} so sparse prefill and KV compression plug in there.
 */
package dev.longshot.vlm;
