package dev.longshot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole app, as {@code bin/longshot serve} starts it, on a random port over a temp data directory, with the
 * real Longshot facade: the sample lecture is uploaded through the API and really ingested (FFmpeg, Tesseract,
 * PocketSphinx, Lucene), questions are asked over HTTP, and Debian's headless Chromium drives the page (see
 * {@link PageDriver}). The tests share the one started app and what {@link #start} ingests through it (the
 * lecture and a clip showing a script tag); each leaves the library as it found it, apart from the page test's
 * upload, so they pass in any order (issue 13).
 */
class WebAppEndToEndTest {
  static final String KEY = "e2e-" + UUID.randomUUID();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path REPO = Path.of(System.getProperty("longshot.repo.root", "..")).toAbsolutePath().normalize();
  static final Path SAMPLE = REPO.resolve("sample-media/lecture.mp4");
  static final Path TARGET = Path.of("target").toAbsolutePath();

  static ConfigurableApplicationContext app;
  static HttpClient http;
  static String base;
  static Path dataDir;
  static long maxUpload;
  static String videoId;
  static JsonNode lectureJob;
  static List<String> lectureStages = new ArrayList<>();
  static String hostileId;
  static Path tmp;
  static final String HOSTILE = "<script>alert(1)</script>";

  @BeforeAll
  static void start() throws Exception {
    tmp = Files.createTempDirectory("longshot-e2e");
    dataDir = tmp.resolve("data");
    maxUpload = Files.size(SAMPLE) + 64 * 1024;
    Path yaml = tmp.resolve("longshot.yaml");
    Files.writeString(yaml, """
        data:
          dir: %s
        server:
          max-upload-bytes: %d
          allowed-roots: [%s]
          api-key: %s
        """.formatted(dataDir, maxUpload, SAMPLE.getParent(), KEY));
    Path hostileClip = textClip(tmp, "hostile", HOSTILE);
    app = LongshotWebApplication.start("--port", "0", "--config", yaml.toString());
    base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    // The one shared ingest every test reads: the lecture, and a clip whose only text is a script tag.
    lectureJob = awaitJob(upload(SAMPLE, "lecture.mp4"), Duration.ofMinutes(4), lectureStages);
    videoId = lectureJob.get("videoId").asText();
    hostileId = awaitJob(upload(hostileClip, "hostile.mp4"), Duration.ofMinutes(2), new ArrayList<>()).get("videoId").asText();
  }

  @AfterAll
  static void stop() throws IOException {
    if (app != null) {
      app.close();
    }
    try (Stream<Path> all = Files.walk(dataDir.getParent())) { // the temp data directory; screenshots stay in target/
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void healthMetricsAndOpenApiAreServed() throws Exception {
    HttpResponse<String> open = sendWithoutKey(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET());
    assertThat(open.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(open.body());
    assertThat(health.get("status").asText()).isEqualTo("UP");
    assertThat(open.body()).as("with a key set, the open health check names no server path").doesNotContain(dataDir.toString());
    assertThat(getJson("/actuator/metrics").get("names").toString()).contains("http.server.requests");
    JsonNode paths = getJson("/v3/api-docs").get("paths");
    assertThat(paths.has("/api/ask")).isTrue();
    assertThat(paths.has("/api/videos/{videoId}/media")).isTrue();
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/swagger-ui/index.html")).GET()).statusCode()).isEqualTo(200);
  }

  @Test
  void requestsWithoutTheKeyAre401ButThePageLoads() throws Exception {
    assertThat(sendWithoutKey(HttpRequest.newBuilder(URI.create(base + "/api/videos")).GET()).statusCode()).isEqualTo(401);
    assertThat(sendWithoutKey(HttpRequest.newBuilder(URI.create(base + "/")).GET()).statusCode()).isEqualTo(200);
    HttpResponse<String> r = sendWithoutKey(multipart(SAMPLE, "lecture.mp4"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("X-Api-Key");
  }

  @Test
  void uploadOverTheLimitIs413FromTheRealServer() throws Exception {
    Path big = Files.createTempFile(dataDir.getParent(), "big", ".mp4");
    byte[] bytes = new byte[(int) maxUpload + 1];
    byte[] head = TestVideos.mp4("big");
    System.arraycopy(head, 0, bytes, 0, head.length);
    Files.write(big, bytes);
    List<Path> before = filesIn(dataDir.resolve("uploads"));
    HttpResponse<String> r = send(multipart(big, "big.mp4"));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("server.max-upload-bytes");
    assertThat(filesIn(dataDir.resolve("uploads"))).as("nothing of the refused upload stays behind")
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void sampleLectureIsUploadedAndIngested() throws Exception {
    assertThat(lectureJob.get("percent").asInt()).isEqualTo(100);
    System.out.println("e2e: ingest stages seen while polling: " + lectureStages.stream().distinct().toList());
    JsonNode videos = getJson("/api/videos");
    assertThat(videos).anySatisfy(v -> {
      assertThat(v.get("videoId").asText()).isEqualTo(videoId);
      assertThat(v.get("fileName").asText()).isEqualTo("lecture.mp4");
      assertThat(v.get("playable").asBoolean()).isTrue();
    });
    assertThat(dataDir.resolve("uploads").resolve(videoId).resolve("lecture.mp4")).hasSameBinaryContentAs(SAMPLE);
    assertThat(Files.list(dataDir.resolve("jobs")).toList()).isNotEmpty();
  }

  @Test
  void askAnswersFromTheBudgetSlideWithKeyframesAndTimesItsLatency() throws Exception {
    String body = JSON.writeValueAsString(Map.of("question", "What is the total budget?", "videoIds", List.of(videoId)));
    long[] nanos = new long[7];
    JsonNode answer = null;
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/ask")).header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString(body)));
      nanos[i] = System.nanoTime() - t0;
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      answer = JSON.readTree(r.body());
    }
    long[] warm = Arrays.copyOfRange(nanos, 1, nanos.length);
    Arrays.sort(warm);
    String latency = "ask latency on sample-media/lecture.mp4 (HTTP round trip, 1 cold + 6 warm): cold %d ms, warm median %d ms, warm max %d ms"
        .formatted(nanos[0] / 1_000_000, warm[warm.length / 2] / 1_000_000, warm[warm.length - 1] / 1_000_000);
    System.out.println("e2e: " + latency);
    Files.createDirectories(TARGET);
    Files.writeString(TARGET.resolve("e2e-ask-latency.txt"), latency + "\n");
    assertThat(answer.get("answer").asText()).contains("4.2 million");
    JsonNode first = answer.get("evidence").get(0);
    assertThat(first.get("videoId").asText()).isEqualTo(videoId);
    JsonNode budgetSlides = JSON.readTree(REPO.resolve("sample-media/lecture.truth.json").toFile()).get("slides");
    assertThat(answer.get("evidence")).anySatisfy(e -> assertThat(overlapsBudgetSlide(e, budgetSlides)).isTrue());
    String keyframe = Stream.of(answer.get("evidence")).flatMap(a -> a.findValuesAsText("keyframeUrl").stream())
        .filter(u -> !u.equals("null")).findFirst().orElseThrow();
    HttpResponse<byte[]> without = http.send(HttpRequest.newBuilder(URI.create(base + keyframe)).build(), BodyHandlers.ofByteArray());
    assertThat(without.statusCode()).as("keyframes are library reads: they need the key too").isEqualTo(401);
    HttpResponse<byte[]> img = http.send(HttpRequest.newBuilder(URI.create(base + keyframe)).header("X-Api-Key", KEY).build(),
        BodyHandlers.ofByteArray());
    assertThat(img.statusCode()).isEqualTo(200);
    assertThat(img.headers().firstValue("Content-Type")).hasValue("image/jpeg");
  }

  private static boolean overlapsBudgetSlide(JsonNode evidence, JsonNode slides) {
    for (JsonNode s : slides) {
      boolean budget = s.get("lines").toString().contains("4.2 million");
      long start = (long) (s.get("start").asDouble() * 1000);
      long end = (long) (s.get("end").asDouble() * 1000);
      if (budget && evidence.get("startMillis").asLong() < end && evidence.get("endMillis").asLong() > start) {
        return true;
      }
    }
    return false;
  }

  /** A 6 s clip whose only on-screen text is {@code text}, drawn by FFmpeg (Tesseract reads it verbatim). */
  private static Path textClip(Path dir, String name, String text) throws IOException {
    Path textFile = Files.writeString(dir.resolve(name + ".txt"), text + "\n");
    Path clip = dir.resolve(name + ".mp4");
    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x1e3a5f:s=854x480:d=6:r=15", "-vf",
        "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=" + textFile + ":fontsize=56:fontcolor=white:x=60:y=200",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString()).redirectErrorStream(true).start();
    try {
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("ffmpeg: " + log).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return clip;
  }

  @Test
  void scriptTagInAVideoComesBackAsPlainData() throws Exception {
    String body = JSON.writeValueAsString(Map.of("question", "script alert", "videoIds", List.of(hostileId)));
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/api/ask")).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)));
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(JSON.readTree(answer.body()).get("evidence").findValuesAsText("text")).anySatisfy(t -> assertThat(t).contains(HOSTILE));
  }

  @Test
  void mediaAnswersRangeRequests() throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + videoId + "/media"))
        .header("Range", "bytes=100-199").header("X-Api-Key", KEY).build(), BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + Files.size(SAMPLE));
    byte[] expected = Arrays.copyOfRange(Files.readAllBytes(SAMPLE), 100, 200);
    assertThat(r.body()).isEqualTo(expected);
  }

  @Test
  void pageAsksAndAClickedTimestampSeeksThePlayer() throws Exception {
    try (PageDriver page = new PageDriver(base, TARGET)) {
      page.open(KEY);
      page.ask("What is the total budget?");
      page.awaitKeyframeThumbnail();
      double seconds = page.clickFirstAnswerTimestamp();
      assertThat(page.awaitSeekedSeconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(1.0));
      page.resize(1280, 1500); // tall enough to show the answer and the evidence cards
      page.screenshot("e2e-page.png");
      page.resize(390, 844);
      page.screenshot("e2e-page-phone.png");
      page.resize(1280, 1500);
      page.ask("script alert");
      page.assertEvidenceShowsTextAndRanNothing(HOSTILE);
      page.assertHostileTextIsShownAsText();
      int videos = getJson("/api/videos").size();
      page.uploadThroughThePage(REPO.resolve("sample-media/excerpt.mp4"), KEY, videos + 1);
    }
    assertThat(TARGET.resolve("e2e-page.png")).isNotEmptyFile();
  }

  @Test
  void aVideoWhoseFileMovedSaysSoUnderThePlayerAndHowToPlayItAgain() throws Exception {
    Path clip = textClip(tmp, "moved", "Moved slide");
    String id = awaitJob(upload(clip, "moved.mp4"), Duration.ofMinutes(2), new ArrayList<>()).get("videoId").asText();
    Path uploaded = dataDir.resolve("uploads").resolve(id).resolve("moved.mp4");
    Files.move(uploaded, uploaded.resolveSibling("renamed.mp4"));
    try (PageDriver page = new PageDriver(base, TARGET)) {
      page.openLibrary(KEY);
      page.selectVideo(id);
      String note = page.awaitPlayerNote();
      page.screenshot("e2e-moved-file.png");
      assertThat(note).contains("moved.mp4").contains("no longer where it was ingested from")
          .contains("answers").contains("upload it again");
      page.selectVideo(videoId);
      assertThat(page.nowPlaying()).isEqualTo("lecture.mp4");
      page.awaitPlayerNoteHidden();
    } finally {
      send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + id)).DELETE());
    }
  }

  @Test
  void aTimestampInTheAnswerPlaysTheVideoItsClauseNames() throws Exception {
    // the same slide at 00:22 in two videos: each timestamp plays the video named after it, not the first match
    String evidence = JSON.writeValueAsString(List.of(
        Map.of("videoId", videoId, "fileName", "lecture.mp4", "modality", "ocr", "startMillis", 22_000, "endMillis", 46_000,
            "text", "Total budget", "score", 1.0),
        Map.of("videoId", hostileId, "fileName", "hostile.mp4", "modality", "ocr", "startMillis", 22_000, "endMillis", 30_000,
            "text", "Total budget", "score", 0.9)));
    try (PageDriver page = new PageDriver(base, TARGET)) {
      page.openLibrary(KEY);
      page.selectVideo(videoId);
      page.renderAnswerAndClickTimestamp("Total budget (slide at 00:22 in hostile.mp4, and at 00:22 in lecture.mp4).", evidence, 0);
      assertThat(page.nowPlaying()).isEqualTo("hostile.mp4");
      page.renderAnswerAndClickTimestamp("Total budget (slide at 00:22 in video " + hostileId + ", and at 00:22 in video "
          + videoId + ").", evidence, 1);
      assertThat(page.nowPlaying()).isEqualTo("lecture.mp4");
    }
  }

  @Test
  void uploadingACopyUnderAnotherNameSaysWhichVideoItMatched() throws Exception {
    Path copy = Files.copy(SAMPLE, Files.createDirectories(tmp.resolve("copies")).resolve("copy-of-lecture.mp4"));
    int videos = getJson("/api/videos").size();
    try (PageDriver page = new PageDriver(base, TARGET)) {
      page.openLibrary(KEY);
      String status = page.uploadAndAwaitStatus(copy, KEY, "same content");
      assertThat(status).contains("\"copy-of-lecture.mp4\"").contains("\"lecture.mp4\"").contains("nothing was processed again");
    }
    assertThat(getJson("/api/videos").size()).as("no second entry for the same content").isEqualTo(videos);
  }

  @Test
  void sameFileByServerPathIsUnchangedAndOutsideTheRootsIs403() throws Exception {
    HttpResponse<String> outside = send(jsonPost("/api/ingest/path", Map.of("path", "/etc/passwd")));
    assertThat(outside.statusCode()).isEqualTo(403);
    HttpResponse<String> r = send(jsonPost("/api/ingest/path", Map.of("path", SAMPLE.toString())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String jobUrl = JSON.readTree(r.body()).get("url").asText();
    JsonNode job = Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> getJson(jobUrl),
        j -> j.get("state").asText().equals("SUCCEEDED") || j.get("state").asText().equals("FAILED"));
    assertThat(job.get("unchanged").asBoolean()).as(job.toString()).isTrue();
    assertThat(job.get("videoId").asText()).isEqualTo(videoId);
  }

  @Test
  void deleteRemovesTheVideo() throws Exception {
    Path clip = textClip(tmp, "to-delete", "Delete me");
    String id = awaitJob(upload(clip, "to-delete.mp4"), Duration.ofMinutes(2), new ArrayList<>()).get("videoId").asText();
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + id)).GET()).statusCode()).isEqualTo(200);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + id)).DELETE());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + id)).GET()).statusCode()).isEqualTo(404);
    assertThat(clip).as("the source file is never deleted").exists();
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/videos/" + videoId)).GET()).statusCode())
        .as("the other videos stay").isEqualTo(200);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------
  /** Uploads {@code file}; the job's URL from the 202. */
  private static String upload(Path file, String name) throws IOException, InterruptedException {
    HttpResponse<String> r = send(multipart(file, name));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("url").asText();
  }

  /** Polls the job until it ends; it must have succeeded. Adds each stage seen to {@code stages}. */
  private static JsonNode awaitJob(String jobUrl, Duration limit, List<String> stages) {
    JsonNode job = Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(500)).until(() -> {
      JsonNode j = getJson(jobUrl);
      stages.add(j.get("stage").asText());
      return j;
    }, j -> j.get("state").asText().equals("SUCCEEDED") || j.get("state").asText().equals("FAILED"));
    assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
    return job;
  }

  private static HttpRequest.Builder multipart(Path file, String name) throws IOException {
    String boundary = "----longshot" + UUID.randomUUID();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: video/mp4\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/ingest"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(BodyPublishers.concat(BodyPublishers.ofString(head), BodyPublishers.ofFile(file), BodyPublishers.ofString(tail)));
    return b;
  }

  private static HttpRequest.Builder jsonPost(String path, Object body) throws IOException {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(JSON.writeValueAsString(body)));
  }

  /** Sends with the API key, as every client of a server with a key must. */
  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return sendWithoutKey(request.header("X-Api-Key", KEY));
  }

  private static HttpResponse<String> sendWithoutKey(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofMinutes(2)).build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
