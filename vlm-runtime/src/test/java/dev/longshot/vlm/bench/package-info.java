/** Speed harnesses (run with {@code bench/run}, never by surefire): ours against llama.cpp in the same run. */
package dev.longshot.vlm.bench;
