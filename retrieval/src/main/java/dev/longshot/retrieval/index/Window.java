package dev.longshot.retrieval.index;

/**
 * A window document's content: a few minutes of speech and on-screen text.
 *
 * @param startMillis window start, ms
 * @param endMillis window end, ms
 * @param text the speech and slide text of segments overlapping the window, in time order, repeats dropped
 * @param keyframe keyframe of the first segment that has one, or null
 */
public record Window(long startMillis, long endMillis, String text, String keyframe) {}
