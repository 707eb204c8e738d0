package dev.longshot.timeline;

/** Formats video times for people: {@code mm:ss}, or {@code h:mm:ss} from one hour on; negative times show as 00:00. */
public final class Timestamps {
  private Timestamps() {}

  /** {@code 83_000} ms is {@code 01:23}; {@code 3_723_000} ms is {@code 1:02:03}. */
  public static String format(long millis) {
    long s = Math.max(0, millis) / 1000;
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
  }
}
