package dev.longshot.ingest;

import dev.longshot.config.LongshotConfig;
import dev.longshot.ingest.IngestException.Kind;
import dev.longshot.ingest.asr.SpeechRecognizer;
import dev.longshot.ingest.asr.SpeechRecognizers;
import dev.longshot.ingest.detect.ObjectDetector;
import dev.longshot.ingest.detect.ObjectDetectors;
import dev.longshot.ingest.media.DecodedFrame;
import dev.longshot.ingest.media.MediaDecoder;
import dev.longshot.ingest.media.MediaInfo;
import dev.longshot.ingest.media.MediaProbe;
import dev.longshot.ingest.ocr.TextRecognizer;
import dev.longshot.ingest.ocr.TextRecognizers;
import dev.longshot.ingest.sample.FrameSampler;
import dev.longshot.ingest.subtitle.SubtitleTrack;
import dev.longshot.timeline.Closeables;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.RecordFormatException;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.Segment;
import dev.longshot.timeline.Timestamps;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one video into an ingest record (see {@link RecordStore}): one streaming decode pass feeds frame sampling
 * (uniform plus scene changes), keyframe JPEGs, OCR and object detection on a worker thread, and speech
 * recognition on another, unless the video has subtitles (an embedded stream or a sidecar .srt/.vtt), which win
 * over ASR. The record appears atomically when everything succeeded; a re-run of the same content with the same
 * settings is a no-op ({@link IngestResult#unchanged()}).
 *
 * <p>Stages reported to the {@link ProgressListener}: {@code probe}, {@code decode} (the frame and audio pass,
 * including OCR and detection of chosen keyframes), {@code asr} (finishing the transcript), {@code write}.
 *
 * <p>Thread-safety: {@link #ingest} may be called from several threads; ingests of the same content are
 * serialised, and each ingest runs its own decoder and workers. The OCR, ASR and detection backends are shared,
 * so concurrent ingests take turns on them. Close the pipeline to free the backends.
 */
public final class IngestPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private final LongshotConfig config;
  private final RecordStore store;
  private final TextRecognizer ocr;
  private final SpeechRecognizer asr;
  private final ObjectDetector detector;
  private final SubtitleSource subtitles;

  /**
   * A pipeline with the given backends (any may be null for "none"), e.g. fakes in tests. The pipeline closes
   * them in {@link #close()}.
   */
  public IngestPipeline(LongshotConfig config, TextRecognizer ocr, SpeechRecognizer asr, ObjectDetector detector,
      SubtitleSource subtitles) {
    this(config, new RecordStore(config.data().recordsDir()), ocr, asr, detector, subtitles);
  }

  /** As above, writing into {@code store} (share one store per records directory within a process). */
  public IngestPipeline(LongshotConfig config, RecordStore store, TextRecognizer ocr, SpeechRecognizer asr,
      ObjectDetector detector, SubtitleSource subtitles) {
    this.config = config;
    this.store = store;
    this.ocr = ocr;
    this.asr = asr;
    this.detector = detector;
    this.subtitles = subtitles == null ? SubtitleSource.NONE : subtitles;
  }

  /**
   * A pipeline with the backends {@code config} names ({@code ocr.backend}, {@code asr.backend}, {@code
   * detector.backend}) and the real subtitle lookup.
   *
   * @throws IllegalArgumentException or IllegalStateException when a backend cannot be created (the message
   *     says which and why)
   */
  public static IngestPipeline create(LongshotConfig config) {
    return create(config, new RecordStore(config.data().recordsDir()));
  }

  /**
   * As {@link #create(LongshotConfig)}, writing into the caller's {@code store} (one store per process). The speech
   * recogniser loads on its own thread while the OCR backend and then the detector load on another (OCR first: it
   * must configure OpenMP before any library loads libgomp), so start-up takes about the longest of the two instead
   * of the sum. A speech decoder (language model, dictionary, acoustic model: ~0.75 CPU s) is not loaded here but by
   * the first ingest of a file with audio, on the speech worker beside decoding: a file without audio never pays it.
   */
  public static IngestPipeline create(LongshotConfig config, RecordStore store) {
    ExecutorService loaders = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "longshot-model-load");
      t.setDaemon(true);
      return t;
    });
    AutoCloseable[] loaded = new AutoCloseable[3];
    try {
      Future<?> asr = loaders.submit(() -> {
        loaded[1] = SpeechRecognizers.create(config.asr()).orElse(null);
      });
      Future<?> frames = loaders.submit(() -> {
        loaded[0] = TextRecognizers.create(config.ocr()).orElse(null);
        loaded[2] = ObjectDetectors.create(config.detector()).orElse(null);
      });
      Throwable failure = null;
      for (Future<?> f : List.of(frames, asr)) {
        try {
          f.get();
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = failure == null ? new IllegalStateException("interrupted while loading the ingest models", e) : failure;
          loaders.shutdownNow();
          awaitQuietly(loaders);
        }
      }
      if (failure != null) {
        closeAll(loaded);
        if (failure instanceof RuntimeException re) {
          throw re;
        }
        if (failure instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("cannot load the ingest models: " + failure, failure);
      }
      return new IngestPipeline(config, store, (TextRecognizer) loaded[0], (SpeechRecognizer) loaded[1],
          (ObjectDetector) loaded[2], SubtitleSource.DEFAULT);
    } finally {
      loaders.shutdown();
    }
  }

  /** Waits for loader threads that were told to stop (native loads cannot be interrupted; they finish first). */
  private static void awaitQuietly(ExecutorService loaders) {
    boolean interrupted = false;
    while (true) {
      try {
        if (loaders.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The speech recogniser in use, or null (none configured). */
  SpeechRecognizer speechRecognizer() {
    return asr;
  }

  /** The record store this pipeline writes to. */
  public RecordStore store() {
    return store;
  }

  /**
   * Ingests {@code video}: probes it, decodes it once, and commits its record.
   *
   * @param progress receives stage, fraction and ETA updates (may be null)
   * @return the manifest of the record now on disk, and whether it was already there unchanged
   * @throws IngestException for bad input (see {@link Kind}) or a failing backend; no record is written then
   */
  public IngestResult ingest(Path video, ProgressListener progress) throws IngestException {
    return ingest(video, progress, false);
  }

  /**
   * Like {@link #ingest(Path, ProgressListener)}; with {@code rebuild} the record is built again even when one
   * with the same settings exists (re-ingest). The new record is written beside the old one, which stays readable
   * until the commit swaps them in one rename; a failure leaves the old record as it was.
   */
  public IngestResult ingest(Path video, ProgressListener progress, boolean rebuild) throws IngestException {
    Path file = video.toAbsolutePath().normalize();
    ProgressTracker pt = new ProgressTracker(progress);
    pt.stage("probe", file.getFileName() == null ? file.toString() : file.getFileName().toString());
    long t0 = System.nanoTime();
    long size = MediaProbe.checkFile(file);
    String id;
    try {
      id = VideoId.of(file);
    } catch (IOException e) {
      throw new IngestException(Kind.UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
    }
    Lock lock = store.writerLock(id);
    lock.lock();
    try {
      Optional<VideoManifest> existing = existing(id);
      if (!rebuild && existing.isPresent()
          && existing.get().settingsFingerprint().equals(fingerprint(file, existing.get().transcriptSource()))) {
        pt.done("unchanged since the last ingest");
        return new IngestResult(existing.get(), true);
      }
      MediaInfo info = MediaProbe.probe(file, config.ingest().maxFramePixels());
      Duration max = config.ingest().maxDuration();
      if (info.durationMillis() > max.toMillis()) {
        throw new IngestException(Kind.TOO_LARGE, file.getFileName() + " lasts " + Timestamps.clock(info.durationMillis())
            + ", longer than the limit of " + Timestamps.clock(max.toMillis()) + " (ingest.max-duration)");
      }
      Map<String, Long> stageMillis = new LinkedHashMap<>();
      stageMillis.put("probe", (System.nanoTime() - t0) / 1_000_000);
      try {
        return run(file, size, id, info, pt, stageMillis);
      } catch (UncheckedIOException e) {
        throw new IngestException(Kind.INTERNAL, "cannot write the record of " + file + ": " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  private IngestResult run(Path file, long size, String id, MediaInfo info, ProgressTracker pt,
      Map<String, Long> stageMillis) throws IngestException {
    long t = System.nanoTime();
    Optional<SubtitleTrack> subs = findSubtitles(file);
    stageMillis.put("subtitles", (System.nanoTime() - t) / 1_000_000);
    boolean useAsr = subs.isEmpty() && asr != null && info.hasAudio();
    boolean decodeAudio = useAsr || !info.hasVideo();

    pt.stage("decode", "decoding " + describe(info));
    t = System.nanoTime();
    try (RecordStore.Writer writer = store.begin(id);
        KeyframeWorker frames = new KeyframeWorker(writer.keyframesDir(), config.ingest().keyframeMaxSide(),
            config.ingest().jpegQuality(), ocr, config.ocr().minConfidence() / 100.0, detector);
        AsrWorker speech = useAsr ? new AsrWorker(asr) : null) {
      MediaDecoder.Stats stats = decode(file, info, decodeAudio, frames, speech, pt);
      check(file, info, stats, decodeAudio);
      long end = Math.max(info.durationMillis(), stats.endMillis());
      frames.finish(end);
      stageMillis.put("decode", (System.nanoTime() - t) / 1_000_000);
      stageMillis.put("keyframes", frames.jpegMillis());
      stageMillis.put("ocr", frames.ocrMillis());
      stageMillis.put("detect", frames.detectMillis());
      Transcript transcript = transcript(subs, speech, pt, stageMillis);
      String fingerprint = fingerprint(file, transcript.source());
      VideoManifest manifest = write(writer, transcript.segments(), frames, file, stageMillis, pt,
          counts -> new VideoManifest(VideoManifest.FORMAT_VERSION, id, file.getFileName().toString(), file.toString(),
              size, end, info.width(), info.height(), info.frameRate(), info.hasAudio(), transcript.source(),
              fingerprint, counts, frames.keyframes(), stageMillis, Instant.now()));
      return new IngestResult(manifest, false);
    }
  }

  /**
   * The one decoding pass: audio to the speech worker, frames the sampler picks to the keyframe worker, the
   * position to the progress tracker.
   */
  private MediaDecoder.Stats decode(Path file, MediaInfo info, boolean decodeAudio, KeyframeWorker frames,
      AsrWorker speech, ProgressTracker pt) throws IngestException {
    long duration = info.durationMillis();
    double lookFps = FrameSampler.analysisFps(config.ingest().sampleFps());
    FrameSampler sampler = new FrameSampler(config.ingest().sampleFps(), config.ingest().sceneChangeThreshold(), lookFps);
    try (MediaDecoder decoder = new MediaDecoder(file, info, decodeAudio, true, lookFps,
        config.ingest().sampleFps())) {
      return decoder.run(new MediaDecoder.Sink() {
        @Override
        public void audio(short[] pcm, int length) throws IngestException {
          if (speech != null) {
            speech.accept(pcm, length);
          }
        }

        @Override
        public boolean wantsFrame(long millis) {
          return sampler.due(millis);
        }

        @Override
        public void frame(DecodedFrame frame) throws IngestException {
          FrameSampler.Decision d = sampler.offer(frame.millis(), frame.thumb());
          if (d != null) {
            frames.submit(new KeyframeWorker.Job(d, frame.image(frames.imageSideFor(d))));
          }
        }

        @Override
        public void position(long millis) {
          if (duration > 0) {
            pt.within(millis / (double) duration, Timestamps.clock(millis) + " / " + Timestamps.clock(duration));
          }
        }
      });
    }
  }

  /** The transcript's segments and where they came from ({@code none}, a subtitle source, {@code asr:<backend>}). */
  private record Transcript(List<Segment> segments, String source) {}

  /** Subtitles when there are any, else what the speech worker heard, else nothing. */
  private Transcript transcript(Optional<SubtitleTrack> subs, AsrWorker speech, ProgressTracker pt,
      Map<String, Long> stageMillis) throws IngestException {
    pt.stage("asr", subs.isPresent() ? "using " + subs.get().source() : speech != null ? "finishing the transcript" : "no speech track");
    long t = System.nanoTime();
    Transcript transcript = new Transcript(List.of(), "none");
    if (subs.isPresent()) {
      transcript = new Transcript(subs.get().segments(), subs.get().source());
    } else if (speech != null) {
      transcript = new Transcript(speech.finish(), asrSource());
      stageMillis.put("asr-accept", speech.acceptMillis());
    }
    stageMillis.put("asr", (System.nanoTime() - t) / 1_000_000);
    return transcript;
  }

  /**
   * Commits the transcript, OCR and detection segments with the manifest {@code manifestFor} makes from their counts
   * per modality; returns that manifest.
   */
  private VideoManifest write(RecordStore.Writer writer, List<Segment> transcript, KeyframeWorker frames, Path file,
      Map<String, Long> stageMillis, ProgressTracker pt, Function<Map<Modality, Integer>, VideoManifest> manifestFor) {
    pt.stage("write", "writing the record");
    long t = System.nanoTime();
    List<Segment> segments = new ArrayList<>(transcript);
    segments.addAll(frames.ocrSegments());
    segments.addAll(frames.detectionSegments());
    Map<Modality, Integer> counts = new EnumMap<>(Modality.class);
    for (Segment s : segments) {
      counts.merge(s.modality(), 1, Integer::sum);
    }
    stageMillis.put("write", 0L);
    VideoManifest manifest = manifestFor.apply(counts);
    writer.commit(segments, manifest);
    stageMillis.put("write", (System.nanoTime() - t) / 1_000_000);
    LOG.info("ingested {} as {}: {} keyframes, {} OCR runs, segments {}, stages {}", file, manifest.videoId(),
        frames.keyframes(), frames.ocrRuns(), counts, stageMillis);
    pt.done("done: " + frames.keyframes() + " keyframes, " + segments.size() + " segments");
    return manifest;
  }

  /** Decoding yielded nothing, or stopped far short of the declared length: the file is damaged. */
  private static void check(Path file, MediaInfo info, MediaDecoder.Stats stats, boolean decodedAudio) throws IngestException {
    if (stats.videoFrames() == 0 && stats.audioSamples() == 0) {
      if (info.durationMillis() > 0) {
        throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (no frame or audio sample could be decoded)");
      }
      throw new IngestException(Kind.ZERO_DURATION, "zero duration: " + file + " has no video frame and no audio sample");
    }
    if (info.hasVideo() && stats.videoFrames() == 0) {
      throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (its video stream has no decodable frame)");
    }
    long expected = info.hasVideo() ? info.videoDurationMillis() : info.audioDurationMillis();
    long got = info.hasVideo() ? stats.lastVideoMillis() : stats.audioSamples() * 1000L / SpeechRecognizer.SAMPLE_RATE_HZ;
    if (expected <= 0) {
      expected = info.durationMillis();
      got = decodedAudio || !info.hasAudio() ? stats.endMillis() : expected;
    }
    if (expected > 0 && got < expected * 0.75 && expected - got > 2_000) {
      throw new IngestException(Kind.CORRUPT, "truncated or corrupt file: " + file + " (decoding stopped at "
          + Timestamps.clock(got) + " of " + Timestamps.clock(expected) + ")");
    }
  }

  private Optional<SubtitleTrack> findSubtitles(Path file) {
    try {
      return subtitles.find(file).filter(s -> !s.segments().isEmpty());
    } catch (RuntimeException e) {
      LOG.warn("ignoring the subtitles of {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<VideoManifest> existing(String id) {
    try {
      return store.manifest(id);
    } catch (RecordFormatException e) {
      LOG.info("re-ingesting {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The settings fingerprint of a record of {@code file} whose transcript came from {@code transcriptSource}: the
   * recogniser's own settings count only when it made the transcript.
   */
  private String fingerprint(Path file, String transcriptSource) {
    boolean ours = asr != null && transcriptSource.equals(asrSource());
    return SettingsFingerprint.of(config, backendNames(), file, ours ? asr.outputSettings() : "");
  }

  private String asrSource() {
    return "asr:" + asr.name();
  }

  private String backendNames() {
    return "ocr=" + (ocr == null ? "none" : ocr.name()) + ",asr=" + (asr == null ? "none" : asr.name())
        + ",detector=" + (detector == null ? "none" : detector.name());
  }

  private static String describe(MediaInfo info) {
    if (!info.hasVideo()) {
      return "audio (" + info.audioCodec() + ")";
    }
    return info.width() + "x" + info.height() + " " + info.videoCodec() + (info.hasAudio() ? " + " + info.audioCodec() : "");
  }

  @Override
  public void close() {
    closeAll(ocr, asr, detector);
  }

  private static void closeAll(AutoCloseable... backends) {
    for (AutoCloseable backend : backends) {
      Closeables.closeQuietly(backend, (c, e) -> LOG.warn("closing {} failed: {}", c, e.toString()));
    }
  }
}
