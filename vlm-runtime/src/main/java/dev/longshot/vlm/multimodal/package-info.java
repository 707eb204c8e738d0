/**
 * Multimodal prompts: {@link dev.longshot.vlm.multimodal.PromptLayout} records which token positions are vision and
 * which are text, per image or video frame and per tile, with each image's token grid (rows x columns). It is the
 * contract between the prompt builder (issue 15) and the modality-aware sparse prefill (issue 17) and KV-cache
 * compression (issue 18), which read it and never re-derive it from token ids.
 */
package dev.longshot.vlm.multimodal;
