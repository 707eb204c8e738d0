/**
 * Harnesses run with {@code bench/run embeddings <class>}, never by surefire: {@code LongContextEvaluation} prints
 * LongEmbed-style accuracy per context strategy and length, {@code ThroughputBenchmark} compares the embedder's
 * passages per second with a bare ONNX Runtime loop measured in the same run.
 */
package dev.longshot.embeddings.bench;
