/**
 * Reader of GGUF, llama.cpp's single-file model format: metadata, tensor infos and memory-mapped tensor data.
 * Truncated or corrupt files fail with a {@link dev.longshot.vlm.ModelFormatException} naming the path and the
 * offending offset or tensor, never with a JVM crash (every read is bounds-checked).
 */
package dev.longshot.vlm.gguf;
