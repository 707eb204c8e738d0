package dev.longshot.timeline;

/**
 * Formats times for people; negative times show as zero. Two shapes: {@link #format} for a moment in a video
 * ({@code mm:ss}, as answers cite evidence) and {@link #clock} for a length or a position in a progress line
 * ({@code m:ss}); both switch to {@code h:mm:ss} from one hour on.
 */
public final class Timestamps {
  private Timestamps() {}

  /** {@code 83_000} ms is {@code 01:23}; {@code 3_723_000} ms is {@code 1:02:03}. */
  public static String format(long millis) {
    return format(millis, "%02d:%02d");
  }

  /** {@code 83_000} ms is {@code 1:23}; {@code 3_723_000} ms is {@code 1:02:03}. */
  public static String clock(long millis) {
    return format(millis, "%d:%02d");
  }

  private static String format(long millis, String minutesAndSeconds) {
    long s = Math.max(0, millis) / 1000;
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(minutesAndSeconds, s / 60, s % 60);
  }
}
