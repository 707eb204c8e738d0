package dev.longshot.app;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.config.AnswerBackend;
import dev.longshot.config.LongshotConfig;
import dev.longshot.embeddings.TextEmbedders;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestPipeline;
import dev.longshot.ingest.IngestResult;
import dev.longshot.ingest.media.MediaProbe;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.retrieval.answer.VideoNames;
import dev.longshot.retrieval.index.EvidenceIndex;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Closeables;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Longshot's use cases in one place, without Spring: ingest a video and index it, ask a question, list and
 * delete videos, find keyframes and media files. The CLI and the web module both go through this class.
 *
 * <p>Thread-safety: all methods may be called concurrently; ingests of the same file are serialised by the
 * record store's atomic commit and the index's per-video replace. The ingest pipeline (Tesseract, ASR, detector
 * models) is loaded on first ingest, so {@code ask} starts fast; {@link #openForIngest} starts loading it at once, in
 * parallel with the embedder and the index. Close it to release the index and models.
 */
public final class Longshot implements LongshotService {
  private final LongshotConfig config;
  private final RecordStore records;
  private final MediaLocations locations;
  private final TextEmbedder embedder;
  private final EvidenceIndex index;
  private final QuestionAnswering qa;
  private final EmbeddedModel model;
  private final DataDirLock lock;
  private IngestPipeline pipeline;
  /** The ingest pipeline loading in the background ({@link #openForIngest}), until {@link #pipeline()} takes it. */
  private CompletableFuture<IngestPipeline> preloading;

  private Longshot(LongshotConfig config, DataDirLock lock, RecordStore records, TextEmbedder embedder,
      EvidenceIndex index, QuestionAnswering qa, EmbeddedModel model) {
    this.config = config;
    this.lock = lock;
    this.model = model;
    this.records = records;
    this.locations = new MediaLocations(config.data().dir().resolve("locations"));
    this.embedder = embedder;
    this.index = index;
    this.qa = qa;
  }

  /** Opens the data directory of {@code config}: record store, index (created when absent), embedder, answerer. */
  public static Longshot open(LongshotConfig config) {
    return open(config, false);
  }

  /**
   * As {@link #open}, for a caller about to ingest ({@code bin/longshot ingest}): the ingest pipeline's
   * models start loading on a background thread before the embedder and the index load on this one, so the two
   * overlap on a multi-core machine. A failure to load them surfaces at the first ingest, as with {@link #open}.
   */
  public static Longshot openForIngest(LongshotConfig config) {
    return open(config, true);
  }

  private static Longshot open(LongshotConfig config, boolean preloadIngest) {
    try {
      Files.createDirectories(config.data().dir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data directory " + config.data().dir() + ": " + e.getMessage(), e);
    }
    DataDirLock lock = DataDirLock.acquire(config.data().dir());
    TextEmbedder embedder = null;
    EvidenceIndex index = null;
    EmbeddedModel model = null;
    CompletableFuture<IngestPipeline> preloading = null;
    try {
      RecordStore records = new RecordStore(config.data().recordsDir());
      if (preloadIngest) {
        preloading = CompletableFuture.supplyAsync(() -> IngestPipeline.create(config, records), Longshot::loaderThread);
      }
      embedder = TextEmbedders.create(config.embeddings());
      index = EvidenceIndexes.open(config, embedder);
      LibraryCheck.run(records, index);
      model = config.answer().backend() == AnswerBackend.EMBEDDED ? EmbeddedModel.load(config.vlm(),
          id -> records.manifest(id).map(VideoManifest::durationMillis).orElse(-1L)) : null;
      QuestionAnswering qa = QuestionAnswering.create(index, config.answer(), records::keyframe, model, namesOf(records));
      Longshot longshot = new Longshot(config, lock, records, embedder, index, qa, model);
      longshot.preloading = preloading;
      return longshot;
    } catch (RuntimeException | Error e) {
      Closeables.closeQuietly(preloadedOrNull(preloading), Longshot::reportCloseFailure);
      Closeables.closeQuietly(model, Longshot::reportCloseFailure);
      Closeables.closeQuietly(index, Longshot::reportCloseFailure);
      Closeables.closeQuietly(embedder, Longshot::reportCloseFailure);
      lock.close();
      throw e;
    }
  }

  public LongshotConfig config() {
    return config;
  }

  /**
   * Ingests {@code video} (decode, OCR, ASR, detection) and indexes it. When the same content was already
   * ingested and indexed with the same settings, nothing is recomputed and {@code unchanged} is true.
   */
  @Override
  public IngestResult ingest(Path video, ProgressListener progress) throws IngestException {
    return ingest(video, progress, false);
  }

  /**
   * Re-ingests {@code videoId} from {@code video}: the record is rebuilt beside the old one and swapped in with one
   * rename, then its index documents are replaced in one index commit. Until each swap the old version answers;
   * a failure leaves it answering (nothing is deleted first).
   */
  @Override
  public IngestResult reingest(String videoId, Path video, ProgressListener progress) throws IngestException {
    IngestResult outcome = ingest(video, progress, true);
    if (!outcome.manifest().videoId().equals(videoId)) {
      throw new IngestException(IngestException.Kind.INTERNAL, video.getFileName() + " no longer has the content of video "
          + videoId + " (it is now " + outcome.manifest().videoId() + ")");
    }
    return outcome;
  }

  private IngestResult ingest(Path video, ProgressListener progress, boolean rebuild) throws IngestException {
    IngestResult result = pipeline().ingest(video, p -> progress.onProgress(
        new Progress(p.stage(), p.fraction() * 0.9, p.eta(), p.message())), rebuild);
    VideoManifest m = result.manifest();
    locations.remember(m.videoId(), video);
    boolean indexed = !rebuild && index.contains(m.videoId(), m.settingsFingerprint());
    if (!indexed) {
      progress.onProgress(new Progress("index", 0.9, null, m.fileName()));
      index.replaceVideo(m, records.segments(m.videoId()));
    }
    progress.onProgress(new Progress("done", 1.0, null, m.fileName()));
    return new IngestResult(m, result.unchanged() && indexed);
  }

  /** The media's duration, or empty when it cannot be probed (an ingest of it then says why). */
  @Override
  public Optional<Duration> duration(Path video) {
    try {
      long millis = MediaProbe.probe(video.toAbsolutePath().normalize(), config.ingest().maxFramePixels()).durationMillis();
      return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
    } catch (IngestException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs the records-versus-index check again (it also runs at every open) and returns what it found and fixed. */
  public LibraryCheck.Report check() {
    return LibraryCheck.run(records, index);
  }

  /** Answers {@code question} from the videos in {@code videoIds} (all videos when empty). */
  @Override
  public Answer ask(String question, Set<String> videoIds) {
    return ask(question, videoIds, e -> {}, t -> {});
  }

  /**
   * Streaming variant: {@code onEvidence} receives the selected evidence before the answer is generated, {@code
   * onToken} the answer's text as it is produced.
   */
  @Override
  public Answer ask(String question, Set<String> videoIds, Consumer<List<Evidence>> onEvidence, Consumer<String> onToken) {
    return qa.ask(question, videoIds, onEvidence, onToken);
  }

  /** Complete records, newest first. */
  @Override
  public List<VideoManifest> videos() {
    return records.list();
  }

  @Override
  public Optional<VideoManifest> video(String videoId) {
    return records.manifest(videoId);
  }

  /** The file names videos were ingested under (the library's records): what answers and {@code ask --json} cite. */
  public VideoNames videoNames() {
    return namesOf(records);
  }

  private static VideoNames namesOf(RecordStore records) {
    return id -> records.manifest(id).map(VideoManifest::fileName);
  }

  /**
   * Deletes a video's record and index documents (never the video file itself). The record goes first: a crash in
   * between leaves index documents without a record, which {@link LibraryCheck} removes at the next start.
   */
  @Override
  public boolean delete(String videoId) {
    boolean inRecords = records.delete(videoId);
    boolean inIndex = index.deleteVideo(videoId);
    locations.forget(videoId);
    return inIndex || inRecords;
  }

  /** A keyframe JPEG of a video; names with path tricks are rejected (empty). */
  @Override
  public Optional<Path> keyframe(String videoId, String keyframeName) {
    return records.keyframe(videoId, keyframeName);
  }

  /** The playable file of a video: where it was last ingested from, while it still has that content. */
  @Override
  public Optional<Path> mediaFile(String videoId) {
    return locations.find(videoId);
  }

  /** Where uploaded videos are kept (inside the data directory). */
  @Override
  public Path uploadsDir() {
    return config.data().uploadsDir();
  }

  private synchronized IngestPipeline pipeline() {
    if (pipeline == null && preloading != null) {
      CompletableFuture<IngestPipeline> p = preloading;
      preloading = null;
      try {
        pipeline = p.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re; // as IngestPipeline.create would have thrown it here
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    if (pipeline == null) {
      pipeline = IngestPipeline.create(config, records);
    }
    return pipeline;
  }

  /** The pipeline a background load produced (waiting for it), or null when there is none or it failed. */
  private static IngestPipeline preloadedOrNull(CompletableFuture<IngestPipeline> preloading) {
    if (preloading == null) {
      return null;
    }
    try {
      return preloading.join();
    } catch (CompletionException | CancellationException e) {
      return null;
    }
  }

  private static void loaderThread(Runnable r) {
    Thread t = new Thread(r, "longshot-ingest-load");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() {
    if (preloading != null) {
      pipeline = preloadedOrNull(preloading);
      preloading = null;
    }
    for (AutoCloseable c : new AutoCloseable[] {pipeline, index, model}) {
      Closeables.closeQuietly(c, Longshot::reportCloseFailure);
    }
    embedder.close();
    lock.close();
  }

  private static void reportCloseFailure(AutoCloseable c, Exception e) {
    System.err.println("longshot: error while closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
  }
}
