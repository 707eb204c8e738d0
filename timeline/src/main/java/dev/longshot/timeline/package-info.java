/**
 * The evidence timeline: the small value types that flow from ingest through retrieval to the answer and the
 * UI ({@link dev.longshot.timeline.Segment}, {@link dev.longshot.timeline.Evidence}, {@link
 * dev.longshot.timeline.Answer}), the content-based {@link dev.longshot.timeline.VideoId}, progress reporting,
 * and the versioned on-disk ingest record ({@link dev.longshot.timeline.RecordStore}). It lives apart from
 * {@code ingest} so that readers of records (retrieval, web) do not pull FFmpeg, OpenCV or ONNX Runtime.
 */
package dev.longshot.timeline;
