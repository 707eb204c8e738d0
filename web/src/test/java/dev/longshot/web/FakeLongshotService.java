package dev.longshot.web;

import dev.longshot.app.LongshotService;
import dev.longshot.config.AnswerSettings;
import dev.longshot.config.ConfigLoader;
import dev.longshot.ingest.IngestException;
import dev.longshot.ingest.IngestResult;
import dev.longshot.retrieval.answer.KeyframeResolver;
import dev.longshot.retrieval.answer.OpenAiAnswerer;
import dev.longshot.retrieval.answer.OpenAiChatClient;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.Evidence;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Progress;
import dev.longshot.timeline.ProgressListener;
import dev.longshot.timeline.VideoId;
import dev.longshot.timeline.VideoManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A stand-in for the Longshot facade, used only by controller slice tests and job-runner unit tests to reach
 * error paths cheaply (the end-to-end test uses the real facade). Ingest records the file as a video without
 * decoding it; a file whose name contains {@code corrupt} fails with kind CORRUPT, {@code leaky} with a message
 * naming server paths, {@code oom} throws an OutOfMemoryError, and one containing {@code slow} waits until
 * {@link #releaseSlow()} is called.
 */
public final class FakeLongshotService implements LongshotService {
  /** Quoted text that contains markup, as a video's OCR might. */
  public static final String HOSTILE_TEXT = "<script>alert('x')</script> budget slide";
  /** A question containing this is answered by the real OpenAI-compatible answerer, pointed at a closed port. */
  public static final String MODEL_DOWN = "model down";

  private final Path dataDir;
  private final Map<String, VideoManifest> videos = new ConcurrentHashMap<>();
  private final Map<String, Path> media = new ConcurrentHashMap<>();
  private volatile CountDownLatch slow = new CountDownLatch(1);

  public FakeLongshotService(Path dataDir) {
    this.dataDir = dataDir;
  }

  public void releaseSlow() {
    slow.countDown();
  }

  public void resetSlow() {
    slow = new CountDownLatch(1);
  }

  public void clear() {
    videos.clear();
    media.clear();
  }

  /** Adds a video as if it had been ingested from {@code file}, with one keyframe. */
  public VideoManifest add(Path file) {
    try {
      String id = VideoId.of(file);
      VideoManifest m = new VideoManifest(1, id, file.getFileName().toString(), file.toString(), Files.size(file), 180_000,
          854, 480, 15, true, "asr:fake", "fp", Map.of(Modality.OCR, 1, Modality.ASR, 1), 1, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
      videos.put(id, m);
      media.put(id, file);
      Path kf = keyframesDir(id).resolve("k000022000.jpg");
      Files.createDirectories(kf.getParent());
      Files.write(kf, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9});
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path keyframesDir(String id) {
    return dataDir.resolve("records").resolve(id).resolve("keyframes");
  }

  @Override
  public IngestResult ingest(Path video, ProgressListener progress) throws IngestException {
    String name = video.getFileName().toString();
    if (!Files.isRegularFile(video)) {
      throw new IngestException(IngestException.Kind.NOT_FOUND, "No file at " + video);
    }
    if (name.contains("oom")) {
      throw new OutOfMemoryError("Java heap space");
    }
    if (name.contains("leaky")) {
      throw new IngestException(IngestException.Kind.UNREADABLE, "cannot read " + video.toAbsolutePath()
          + ": model /opt/models/secret/model.onnx failed");
    }
    if (name.contains("corrupt")) {
      throw new IngestException(IngestException.Kind.CORRUPT, name + " is damaged: the decoder found no readable frames");
    }
    progress.onProgress(new Progress("decode", 0.3, Duration.ofSeconds(5), name));
    if (name.contains("slow")) {
      try {
        slow.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    boolean unchanged;
    try {
      unchanged = videos.containsKey(VideoId.of(video));
    } catch (IOException e) {
      throw new IngestException(IngestException.Kind.UNREADABLE, "Cannot read " + video, e);
    }
    return new IngestResult(add(video), unchanged);
  }

  @Override
  public IngestResult reingest(String videoId, Path video, ProgressListener progress) throws IngestException {
    return ingest(video, progress);
  }

  @Override
  public Optional<Duration> duration(Path video) {
    return Optional.of(Duration.ofMinutes(3));
  }

  /** The real OpenAI-compatible answerer, at a local port nothing listens on, with no retries. */
  private OpenAiAnswerer unreachableModelServer() {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AnswerSettings settings = ConfigLoader.load(null, Map.of("HOME", dataDir.toString(), "LONGSHOT_ANSWER_BACKEND", "openai",
        "LONGSHOT_ANSWER_BASE_URL", "http://127.0.0.1:" + port + "/v1", "LONGSHOT_ANSWER_MODEL", "any", "LONGSHOT_ANSWER_RETRIES", "0")).answer();
    return new OpenAiAnswerer(new OpenAiChatClient(settings), KeyframeResolver.none(), 0);
  }

  @Override
  public Answer ask(String question, Set<String> videoIds) {
    return ask(question, videoIds, e -> {}, t -> {});
  }

  @Override
  public Answer ask(String question, Set<String> videoIds, Consumer<List<Evidence>> onEvidence, Consumer<String> onToken) {
    List<Evidence> evidence = new ArrayList<>();
    for (VideoManifest m : videos.values()) {
      if (videoIds.isEmpty() || videoIds.contains(m.videoId())) {
        evidence.add(new Evidence(m.videoId(), Modality.OCR, 22_000, 46_000, HOSTILE_TEXT, "k000022000.jpg", 0.9));
      }
    }
    onEvidence.accept(evidence);
    if (question.contains(MODEL_DOWN)) {
      return unreachableModelServer().answer(question, evidence, onToken);
    }
    String text = evidence.isEmpty() ? "Nothing found." : "At 00:22 the slide reads \"" + HOSTILE_TEXT + "\".";
    onToken.accept(text.substring(0, text.length() / 2));
    onToken.accept(text.substring(text.length() / 2));
    return new Answer(text, evidence, "fake");
  }

  @Override
  public List<VideoManifest> videos() {
    return List.copyOf(videos.values());
  }

  @Override
  public Optional<VideoManifest> video(String videoId) {
    return Optional.ofNullable(videos.get(videoId));
  }

  @Override
  public boolean delete(String videoId) {
    media.remove(videoId);
    return videos.remove(videoId) != null;
  }

  @Override
  public Optional<Path> keyframe(String videoId, String keyframeName) {
    if (!videos.containsKey(videoId)) {
      return Optional.empty();
    }
    Path f = keyframesDir(videoId).resolve(keyframeName).normalize();
    return f.startsWith(keyframesDir(videoId)) && Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  @Override
  public Optional<Path> mediaFile(String videoId) {
    return Optional.ofNullable(media.get(videoId)).filter(Files::isRegularFile);
  }

  @Override
  public Path uploadsDir() {
    return dataDir.resolve("uploads");
  }

  @Override
  public void close() {}
}
