/**
 * Benchmark harnesses for the web module, run with {@code bench/run web <class>} (surefire ignores them). Each
 * prints its figures next to a baseline measured in the same run.
 */
package dev.longshot.web.bench;
