package dev.longshot.web.service;

import dev.longshot.app.IngestOutcome;
import dev.longshot.app.Longshot;
import dev.longshot.ingest.IngestException;
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

/** {@link LongshotService} over the app module's {@link Longshot} facade; owns and closes it. */
public final class LongshotFacadeService implements LongshotService {
  private final Longshot longshot;

  public LongshotFacadeService(Longshot longshot) {
    this.longshot = longshot;
  }

  @Override
  public IngestResult ingest(Path video, ProgressListener progress) throws IngestFailure {
    try {
      IngestOutcome outcome = longshot.ingest(video, progress);
      return new IngestResult(outcome.manifest(), outcome.unchanged());
    } catch (IngestException e) {
      throw new IngestFailure(IngestFailure.Kind.fromName(e.kind().name()), e.getMessage(), e);
    }
  }

  @Override
  public IngestResult reingest(String videoId, Path video, ProgressListener progress) throws IngestFailure {
    try {
      IngestOutcome outcome = longshot.reingest(videoId, video, progress);
      return new IngestResult(outcome.manifest(), outcome.unchanged());
    } catch (IngestException e) {
      throw new IngestFailure(IngestFailure.Kind.fromName(e.kind().name()), e.getMessage(), e);
    }
  }

  @Override
  public Optional<Duration> duration(Path video) {
    return longshot.duration(video);
  }

  @Override
  public Answer ask(String question, Set<String> videoIds) {
    return longshot.ask(question, videoIds);
  }

  @Override
  public Answer ask(String question, Set<String> videoIds, Consumer<List<Evidence>> onEvidence, Consumer<String> onToken) {
    return longshot.ask(question, videoIds, onEvidence, onToken);
  }

  @Override
  public List<VideoManifest> videos() {
    return longshot.videos();
  }

  @Override
  public Optional<VideoManifest> video(String videoId) {
    return longshot.video(videoId);
  }

  @Override
  public boolean delete(String videoId) {
    return longshot.delete(videoId);
  }

  @Override
  public Optional<Path> keyframe(String videoId, String keyframeName) {
    return longshot.keyframe(videoId, keyframeName);
  }

  @Override
  public Optional<Path> mediaFile(String videoId) {
    return longshot.mediaFile(videoId);
  }

  @Override
  public Path uploadsDir() {
    return longshot.uploadsDir();
  }

  @Override
  public void close() {
    longshot.close();
  }
}
