/**
 * Answer backends behind one interface, {@link dev.longshot.retrieval.answer.Answerer}, chosen by name in {@link
 * dev.longshot.retrieval.answer.Answerers}: {@code extractive} (quotes the best evidence with timestamps, no model),
 * {@code openai} (any OpenAI-compatible chat-completions server, sent keyframes plus Video-RAG's auxiliary texts)
 * and {@code embedded} (the in-process vlm-runtime, plugged in through {@link
 * dev.longshot.capabilities.VisionLanguageGenerator}). Every answer carries the evidence it was given.
 */
package dev.longshot.retrieval.answer;
