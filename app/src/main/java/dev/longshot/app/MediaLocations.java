package dev.longshot.app;

import dev.longshot.timeline.Durable;
import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Remembers where each video's file was last seen, so the player can stream it. Identity is the content id:
 * a location is only returned while the file there still has that id, and re-ingesting a moved file updates
 * it. One small text file per video under {@code <data>/locations/}: path, size and modification time; the
 * content id is re-checked only when size or time changed, so serving range requests stays cheap.
 */
final class MediaLocations {
  private final Path dir;

  MediaLocations(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  void remember(String videoId, Path file) {
    Path target = dir.resolve(VideoId.require(videoId));
    try {
      Durable.writeAtomically(target, (file.toAbsolutePath().normalize() + "\n" + stamp(file)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last known file of {@code videoId}, if it still exists and still has that content id. */
  Optional<Path> find(String videoId) {
    if (!VideoId.isValid(videoId)) {
      return Optional.empty();
    }
    Path record = dir.resolve(videoId);
    try {
      if (!Files.isRegularFile(record)) {
        return Optional.empty();
      }
      String[] lines = Files.readString(record, StandardCharsets.UTF_8).split("\n");
      Path file = Path.of(lines[0].trim());
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      if (lines.length > 1 && lines[1].equals(stamp(file))) {
        return Optional.of(file);
      }
      if (VideoId.of(file).equals(videoId)) {
        remember(videoId, file);
        return Optional.of(file);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String stamp(Path file) throws IOException {
    return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
  }

  void forget(String videoId) {
    try {
      Files.deleteIfExists(dir.resolve(VideoId.require(videoId)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
