package dev.longshot.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One time-aligned piece of auxiliary text extracted from a video: a transcript chunk, a span of on-screen
 * text, or a frame's detections written as text. One line of {@code segments.jsonl} in an ingest record.
 *
 * @param modality where it came from
 * @param startMillis start in the video, milliseconds
 * @param endMillis end in the video, milliseconds, >= start
 * @param text the text that is indexed and shown (UTF-8, untrusted: escape before rendering)
 * @param boxes OCR word boxes or detection boxes, normalised coordinates; empty for speech
 * @param keyframe file name of the representative keyframe inside the record's {@code keyframes/}, or null
 * @param confidence 0..1 (NaN when the backend gives none)
 * @param words word timings when the ASR backend gives them; empty otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Segment(
    Modality modality,
    long startMillis,
    long endMillis,
    String text,
    List<BoundingBox> boxes,
    String keyframe,
    double confidence,
    List<TimedWord> words) {
  public Segment {
    Objects.requireNonNull(modality, "modality");
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException("Invalid segment time " + startMillis + ".." + endMillis + " ms");
    }
    text = text == null ? "" : text;
    boxes = boxes == null ? List.of() : List.copyOf(boxes);
    words = words == null ? List.of() : List.copyOf(words);
  }

  /** A segment with only text and time. */
  public static Segment of(Modality modality, long startMillis, long endMillis, String text) {
    return new Segment(modality, startMillis, endMillis, text, List.of(), null, Double.NaN, List.of());
  }
}
