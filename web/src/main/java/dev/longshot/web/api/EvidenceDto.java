package dev.longshot.web.api;

import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;

/**
 * One piece of evidence for an answer.
 *
 * @param videoId content id of the video
 * @param fileName the video's file name, or null when unknown (untrusted text)
 * @param modality asr, ocr, det or subtitle
 * @param startMillis span start, milliseconds
 * @param endMillis span end, milliseconds
 * @param text the quoted text (untrusted: clients must escape it)
 * @param keyframeUrl URL of the keyframe JPEG, or null
 * @param score retrieval score, comparable within one answer
 */
public record EvidenceDto(
    String videoId, String fileName, Modality modality, long startMillis, long endMillis, String text, String keyframeUrl, double score) {
  static EvidenceDto of(Evidence e, String fileName) {
    String keyframeUrl = e.keyframe() == null ? null : "/api/videos/" + e.videoId() + "/keyframes/" + e.keyframe();
    double score = Double.isFinite(e.score()) ? e.score() : 0;
    return new EvidenceDto(e.videoId(), fileName, e.modality(), e.startMillis(), e.endMillis(), e.text(), keyframeUrl, score);
  }
}
