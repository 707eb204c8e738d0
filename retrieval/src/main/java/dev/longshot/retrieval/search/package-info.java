/**
 * Search values and ranking arithmetic that do not touch Lucene files: the request and hit records, reciprocal
 * rank fusion of the BM25 and kNN lists, and the merging of adjacent hits into time spans. Everything here is
 * pure and thread-safe.
 */
package dev.longshot.retrieval.search;
