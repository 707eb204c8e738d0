/**
 * Multimodal prompts and the SmolVLM / SmolVLM2 model. {@link dev.longshot.vlm.multimodal.PromptLayout} records which
 * token positions are vision and which are text, per image or video frame and per tile, with each image's token grid
 * (rows x columns): the contract with the modality-aware sparse prefill (issue 17) and KV-cache compression (issue
 * 18), which read it and never re-derive it from token ids. {@link dev.longshot.vlm.multimodal.ImageProcessor} and
 * {@link dev.longshot.vlm.multimodal.SmolVlmProcessor} do what Hugging Face's Idefics3 processor does (resize, split,
 * normalise; expand {@code <image>}); {@link dev.longshot.vlm.multimodal.SmolVlm} loads a model (HF directory or
 * GGUF + mmproj) and generates, including the Video-RAG answer prompt with timed keyframes.
 */
package dev.longshot.vlm.multimodal;
