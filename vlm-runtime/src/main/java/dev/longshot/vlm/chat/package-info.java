/**
 * Chat prompts: {@link dev.longshot.vlm.chat.ChatMessage} (text and image parts) and the per-family
 * {@link dev.longshot.vlm.chat.ChatTemplate}s (ChatML for Qwen2 / SmolLM2, Llama 3 headers, plain), including the
 * image placeholder runs the vision encoder will fill.
 */
package dev.longshot.vlm.chat;
