/**
 * Reader of Hugging Face safetensors files (F32, F16, BF16); {@link dev.longshot.vlm.model.SafetensorsModelLoader}
 * turns a directory of them plus config.json and tokenizer.json into a model.
 */
package dev.longshot.vlm.safetensors;
