package dev.longshot.timeline;

/** One recognised word with its time in the video, in milliseconds; confidence 0..1 (or NaN if unknown). */
public record TimedWord(String word, long startMillis, long endMillis, double confidence) {
  public TimedWord {
    if (startMillis < 0 || endMillis < startMillis) {
      throw new IllegalArgumentException("Invalid word time " + startMillis + ".." + endMillis + " for \"" + word + "\"");
    }
  }
}
