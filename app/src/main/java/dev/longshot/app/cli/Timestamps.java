package dev.longshot.app.cli;

/** Formats video times for people: {@code mm:ss}, or {@code h:mm:ss} from one hour on. */
final class Timestamps {
  private Timestamps() {}

  static String format(long millis) {
    long s = Math.max(0, millis) / 1000;
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
  }
}
