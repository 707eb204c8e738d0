package dev.longshot.retrieval.answer;

import java.util.Optional;

/**
 * The file name a video was ingested under, for answers that cite moments in several videos ("at 00:22 in
 * lecture.mp4"); the app passes its record store's manifests. Ids stay the fallback.
 */
@FunctionalInterface
public interface VideoNames {
  /** The file name of {@code videoId}, or empty when it is not known. */
  Optional<String> fileName(String videoId);

  /** Names nothing: answers cite videos by id. */
  static VideoNames none() {
    return id -> Optional.empty();
  }
}
