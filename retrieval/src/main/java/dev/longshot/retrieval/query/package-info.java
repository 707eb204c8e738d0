/**
 * Query decomposition after Video-RAG (Luo et al., 2024, "Video-RAG: Visually-aligned Retrieval-Augmented Long
 * Video Comprehension"): a question becomes a {@link dev.longshot.retrieval.query.RetrievalPlan} with a speech
 * request (ASR), the physical objects to look for (DET) and the kind of object information wanted (TYPE:
 * location, number, relation). The rule-based decomposer needs no model; the model-based one asks the configured
 * backend for Video-RAG's JSON and falls back to the rules when the output is malformed.
 */
package dev.longshot.retrieval.query;
