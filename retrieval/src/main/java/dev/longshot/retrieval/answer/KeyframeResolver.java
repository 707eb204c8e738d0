package dev.longshot.retrieval.answer;

import java.nio.file.Path;
import java.util.Optional;

/** Finds a stored keyframe image; the app passes {@code RecordStore::keyframe}. */
@FunctionalInterface
public interface KeyframeResolver {
  /** The JPEG for {@code keyframe} of {@code videoId}, or empty when there is none. */
  Optional<Path> resolve(String videoId, String keyframe);

  /** A resolver that finds nothing (text-only answers). */
  static KeyframeResolver none() {
    return (v, k) -> Optional.empty();
  }
}
