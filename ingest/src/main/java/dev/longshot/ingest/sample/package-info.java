/**
 * Which frames become keyframes: uniform sampling at {@code ingest.sample-fps} plus scene-change detection on small
 * luma thumbnails, so a slide change or a cut is never missed and a static hour is not analysed thousands of times
 * ({@link dev.longshot.ingest.sample.FrameSampler}).
 */
package dev.longshot.ingest.sample;
