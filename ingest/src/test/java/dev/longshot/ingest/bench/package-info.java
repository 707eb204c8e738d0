/**
 * Benchmark harnesses for ingest (not run by surefire): each prints its figures next to a baseline measured in the
 * same run. Run one with {@code bench/run ingest dev.longshot.ingest.bench.<Name>}.
 */
package dev.longshot.ingest.bench;
