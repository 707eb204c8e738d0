package dev.longshot.app;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of indexing a folder: per-file results, in the order files were found.
 *
 * @param items one entry per video file found
 */
public record BatchSummary(List<Item> items) {
  public BatchSummary {
    items = List.copyOf(items);
  }

  /** What happened to one file. */
  public enum Status { DONE, UNCHANGED, FAILED }

  /**
   * @param file the video file
   * @param status outcome
   * @param videoId content id, null when the file failed before it was identified
   * @param reason why it failed, empty otherwise
   */
  public record Item(Path file, Status status, String videoId, String reason) {}

  public long count(Status status) {
    return items.stream().filter(i -> i.status() == status).count();
  }

  public List<Item> failures() {
    return items.stream().filter(i -> i.status() == Status.FAILED).toList();
  }
}
