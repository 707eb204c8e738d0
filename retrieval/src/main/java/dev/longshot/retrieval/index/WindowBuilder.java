package dev.longshot.retrieval.index;

import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts a video's speech and on-screen text into windows of {@code windowMillis}, starting every half window (so
 * a passage that straddles one boundary is whole in the next window). Detections are left out: class lists add
 * noise to a passage embedding. Windows without text are skipped.
 */
public final class WindowBuilder {
  private final long windowMillis;

  public WindowBuilder(long windowMillis) {
    if (windowMillis < 1000) {
      throw new IllegalArgumentException("window must be >= 1000 ms, got " + windowMillis);
    }
    this.windowMillis = windowMillis;
  }

  public List<Window> build(List<Segment> segments) {
    List<Segment> textual = segments.stream().filter(s -> s.modality() != Modality.DET && !s.text().isBlank())
        .sorted(Comparator.comparingLong(Segment::startMillis)).toList();
    if (textual.isEmpty()) {
      return List.of();
    }
    long last = textual.stream().mapToLong(Segment::endMillis).max().orElseThrow();
    long stride = windowMillis / 2;
    List<Window> out = new ArrayList<>();
    for (long start = 0; start <= last; start += stride) {
      long end = start + windowMillis;
      Set<String> texts = new LinkedHashSet<>();
      String keyframe = null;
      for (Segment s : textual) {
        if (s.endMillis() >= start && s.startMillis() < end) {
          texts.add(s.text().strip());
          keyframe = keyframe == null ? s.keyframe() : keyframe;
        }
      }
      if (!texts.isEmpty()) {
        out.add(new Window(start, Math.min(end, last), String.join(" ", texts), keyframe));
      }
      if (end >= last) {
        break;
      }
    }
    return out;
  }
}
