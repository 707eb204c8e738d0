package dev.longshot.timeline;

import java.util.Objects;

/**
 * A moment that supports an answer: which video, when, from which modality, and what it says. The UI turns
 * each one into a clickable timestamp and an evidence card.
 *
 * @param videoId the content id of the video ({@link VideoId})
 * @param modality where the text came from
 * @param startMillis start of the span, milliseconds
 * @param endMillis end of the span, milliseconds
 * @param text the quoted text (untrusted: escape before rendering)
 * @param keyframe keyframe file name inside the video's record, or null
 * @param score retrieval score (higher is better; comparable within one answer only)
 */
public record Evidence(String videoId, Modality modality, long startMillis, long endMillis, String text, String keyframe, double score) {
  public Evidence {
    Objects.requireNonNull(videoId, "videoId");
    Objects.requireNonNull(modality, "modality");
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException("Invalid evidence span " + startMillis + ".." + endMillis + " ms");
    }
    text = text == null ? "" : text;
  }
}
