/**
 * Generated random-weight models for tests and benchmarks: a small GGUF writer, ggml block encoders, a valid
 * byte-level BPE test vocabulary, and {@link dev.longshot.vlm.testmodel.RandomModel}, which writes the same seeded
 * weights as GGUF (any type) or as a Hugging Face safetensors directory. Real weights cannot be downloaded here.
 */
package dev.longshot.vlm.testmodel;
