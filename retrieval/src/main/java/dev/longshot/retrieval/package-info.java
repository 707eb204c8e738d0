/**
 * Longshot retrieval: answers questions about indexed videos with timestamped evidence. {@link
 * dev.longshot.retrieval.QuestionAnswering} composes the pieces: a question is decomposed into Video-RAG retrieval
 * requests ({@code query}), each request is searched in the hybrid Lucene index ({@code index}, {@code search}),
 * accepted evidence goes to an {@code answer} backend. Evaluation lives in {@code eval}.
 */
package dev.longshot.retrieval;
