package dev.longshot.timeline;

import java.time.Duration;

/**
 * A snapshot of a long job.
 *
 * @param stage what runs now, e.g. {@code decode}, {@code ocr}, {@code asr}, {@code index}
 * @param fraction overall completion, 0..1
 * @param eta estimated time left, or null when unknown
 * @param message a short human-readable detail, may be empty
 */
public record Progress(String stage, double fraction, Duration eta, String message) {
  public Progress {
    fraction = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    message = message == null ? "" : message;
  }

  public int percent() {
    return (int) Math.floor(fraction * 100);
  }
}
