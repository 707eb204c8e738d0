package dev.longshot.ingest;

import dev.longshot.ingest.subtitle.SubtitleTrack;
import dev.longshot.ingest.subtitle.Subtitles;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a video's subtitles (embedded stream or sidecar file); a seam so tests can supply their own. */
@FunctionalInterface
public interface SubtitleSource {
  /** The real lookup, {@link Subtitles#find}. */
  SubtitleSource DEFAULT = Subtitles::find;
  /** Never finds subtitles. */
  SubtitleSource NONE = video -> Optional.empty();

  Optional<SubtitleTrack> find(Path video);
}
