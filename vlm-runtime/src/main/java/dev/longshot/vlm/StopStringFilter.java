package dev.longshot.vlm;

import java.util.List;
import java.util.function.Consumer;

/**
 * Streams generated text to a consumer while holding back just enough to cut it before the first stop string
 * (a stop string may span several tokens). Not thread-safe.
 */
final class StopStringFilter {
  private final List<String> stops;
  private final Consumer<String> sink;
  private final StringBuilder text = new StringBuilder();
  private final int holdBack;
  private int emitted;
  private boolean stopped;

  StopStringFilter(List<String> stops, Consumer<String> sink) {
    this.stops = stops;
    this.sink = sink == null ? s -> { } : sink;
    this.holdBack = stops.stream().mapToInt(String::length).max().orElse(1) - 1;
  }

  /** Adds a piece; returns true once a stop string has appeared (the text is cut before it). */
  boolean accept(String piece) {
    if (stopped || piece.isEmpty()) {
      return stopped;
    }
    text.append(piece);
    int cut = -1;
    for (String s : stops) {
      int at = text.indexOf(s, Math.max(0, emitted - s.length()));
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      text.setLength(cut);
      stopped = true;
      emitUpTo(text.length());
      return true;
    }
    emitUpTo(text.length() - holdBack);
    return false;
  }

  private void emitUpTo(int end) {
    if (end > emitted) {
      sink.accept(text.substring(emitted, end));
      emitted = end;
    }
  }

  /** Emits whatever was held back and returns the whole text. */
  String finish() {
    emitUpTo(text.length());
    return text.toString();
  }
}
