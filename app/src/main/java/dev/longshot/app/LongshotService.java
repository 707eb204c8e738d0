package dev.longshot.app;

import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.VideoManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Longshot's use cases as the command line and the web layer call them: ingest, ask, list, delete and locate
 * files. {@link Longshot} is the implementation; the web module's slice tests put a small stand-in behind it.
 * Implementations are thread-safe; whoever opened the instance closes it.
 */
public interface LongshotService extends AutoCloseable {
  /**
   * Ingests and indexes one video; a no-op when the same content was ingested and indexed with the same settings
   * ({@link IngestResult#unchanged()} is then true).
   *
   * @throws IngestException when the file cannot be ingested; its kind says why
   */
  IngestResult ingest(Path video, ProgressListener progress) throws IngestException;

  /**
   * Builds {@code videoId}'s record and index documents again from {@code video}, beside the old ones, and swaps
   * them in; until then, and after any failure, the old video keeps answering.
   *
   * @throws IngestException when the file cannot be ingested; the old video is untouched then
   */
  IngestResult reingest(String videoId, Path video, ProgressListener progress) throws IngestException;

  /** The media's duration, or empty when it cannot be probed (the ingest then reports why). */
  Optional<Duration> duration(Path video);

  /** Answers {@code question} over {@code videoIds} (empty = all videos). */
  Answer ask(String question, Set<String> videoIds);

  /** Like {@link #ask(String, Set)}, handing over the evidence first and then the answer text as it is produced. */
  Answer ask(String question, Set<String> videoIds, Consumer<List<Evidence>> onEvidence, Consumer<String> onToken);

  List<VideoManifest> videos();

  Optional<VideoManifest> video(String videoId);

  /** Removes the video's record and its index entries; false when it was not there. */
  boolean delete(String videoId);

  /** The keyframe file, or empty when the id or name is unknown or tries to leave the record directory. */
  Optional<Path> keyframe(String videoId, String keyframeName);

  /** The playable file of the video, if it still exists with the same content. */
  Optional<Path> mediaFile(String videoId);

  /** Where uploads are stored (inside the data directory). */
  Path uploadsDir();

  @Override
  void close();
}
