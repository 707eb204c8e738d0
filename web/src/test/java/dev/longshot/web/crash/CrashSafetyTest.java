package dev.longshot.web.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.app.LibraryCheck;
import dev.longshot.app.Longshot;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.timeline.RecordStore;
import dev.longshot.timeline.VideoManifest;
import dev.longshot.web.LongshotWebApplication;
import dev.longshot.web.jobs.JobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 12, point 6: a real {@code longshot serve} process is killed with SIGKILL at seeded random moments while it
 * ingests or re-ingests (so during decoding, record commit and index commit alike). After every kill the data
 * directory is opened again and must hold only whole videos: the start-up check leaves records and index agreeing,
 * every record's files are there, no video committed before is lost, and every job ends SUCCEEDED or FAILED with
 * a reason once a server runs again. Also: a second server on the same data directory refuses to start.
 *
 * <p>Cost: a server's start (Spring, models) is most of the test's CPU. Every kill hits a freshly started child, as
 * the first, cold ingest that sets the kill delays did; the recovery after the last kill, which is never killed, runs
 * in this JVM (already warm). Children run C1-only with the serial collector: a short-lived server spends most of its
 * start-up CPU in C2 compiles, and the crash behaviour does not depend on the JIT.
 *
 * <p>Runs {@code -Dlongshot.crash.runs} kills (default 3, the CI version; the 20-run version is
 * {@code -Dlongshot.crash.runs=20}) from seed {@code -Dlongshot.crash.seed}; the figures go to
 * {@code target/crash-runs.txt}.
 */
class CrashSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path REPO = Path.of(System.getProperty("longshot.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path EXCERPT = REPO.resolve("sample-media/excerpt.mp4");
  private static final Path LECTURE = REPO.resolve("sample-media/lecture.mp4");
  /** Generous: on a loaded 2-core machine a cold Spring start with model loading took over two minutes. */
  private static final Duration START_LIMIT = Duration.ofMinutes(10);
  private static final Duration JOB_LIMIT = Duration.ofMinutes(8);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void killedAtRandomMomentsTheServerLosesNoVideoAndLeavesOnlyWholeOnes() throws Exception {
    int runs = Integer.getInteger("longshot.crash.runs", 3);
    long seed = Long.getLong("longshot.crash.seed", 20261202L);
    Random random = new Random(seed);
    Path tmp = Files.createTempDirectory("longshot-crash");
    Path yaml = tmp.resolve("longshot.yaml");
    Files.writeString(yaml, """
        data:
          dir: %s
        server:
          allowed-roots: [%s]
          min-free-disk: 0
        """.formatted(tmp.resolve("data"), EXCERPT.getParent()));
    LongshotConfig config = ConfigLoader.load(yaml, Map.of("HOME", tmp.toString()));
    Set<String> committed = new HashSet<>();
    List<String> violations = new ArrayList<>();
    int faults = 0;
    int losses = 0;
    long serverCpuMillis = 0;
    long testCpuStart = processCpuMillis();

    // a first, whole ingest: the baseline video and how long an ingest takes here
    long fullMillis;
    try (ServerProcess server = ServerProcess.start(yaml, tmp.resolve("server-0.log"), START_LIMIT)) {
      assertThat(server.log()).as("serve's terminal: no library notice a laptop user cannot act on")
          .doesNotContain("Failed to detect GPU count").doesNotContain("SpringDoc");
      assertThatThrownBy(() -> LongshotWebApplication.start("--port", "0", "--config", yaml.toString()))
          .as("a second server on the same data directory refuses to start")
          .rootCause().hasMessageContaining("in use by another Longshot process")
          .hasMessageContaining("pid " + server.pid());
      long t0 = System.nanoTime();
      JsonNode job = awaitFinal(server, post(server.port(), "/api/ingest/path", "{\"path\":\"" + EXCERPT + "\"}"));
      fullMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      committed.add(job.get("videoId").asText());
      server.kill();
      serverCpuMillis += server.cpuMillis();
    }

    for (int run = 1; run <= runs; run++) {
      try (ServerProcess server = ServerProcess.start(yaml, tmp.resolve("server-" + run + ".log"), START_LIMIT)) {
        awaitAllFinal(server.port(), violations, run);
        String target = committed.stream().sorted().skip(random.nextInt(committed.size())).findFirst().orElseThrow();
        boolean newVideo = run % 2 == 0 && committed.size() < 2;
        if (newVideo) {
          post(server.port(), "/api/ingest/path", "{\"path\":\"" + LECTURE + "\"}");
        } else {
          post(server.port(), "/api/videos/" + target + "/reingest", "");
        }
        long delay = (long) (random.nextDouble() * fullMillis * (newVideo ? 3 : 1.1));
        Thread.sleep(delay);
        server.kill();
        serverCpuMillis += server.cpuMillis();
      }
      if (jobsInFlight(config) > 0) {
        faults++;
      }
      List<String> listed = verify(config, violations, run);
      for (String id : committed) {
        if (!listed.contains(id)) {
          losses++;
          violations.add("run " + run + ": video " + id + " was lost");
        }
      }
      committed.addAll(listed);
      progress(run, runs, faults, losses, seed, violations);
    }

    // after the last kill a server must finish or fail every job it finds; it is not killed, so it runs in this
    // JVM (already warm from the checks above) rather than in a child of its own
    try (ConfigurableApplicationContext server = LongshotWebApplication.start("--port", "0", "--config", yaml.toString())) {
      awaitAllFinal(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")), violations, runs + 1);
    }
    verify(config, violations, runs + 1);
    String figures = "crash runs: " + runs + ", faults injected (killed with a job in flight): " + faults
        + ", losses: " + losses + ", videos at the end: " + committed.size() + ", seed: " + seed
        + ", full ingest: " + fullMillis + " ms, CPU: servers " + serverCpuMillis / 1000.0 + " s, test JVM "
        + (processCpuMillis() - testCpuStart) / 1000.0 + " s";
    System.out.println(figures);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "crash-runs.txt"), figures + "\n" + String.join("\n", violations) + "\n");
    assertThat(violations).as(figures).isEmpty();
    assertThat(losses).isZero();
    deleteTree(tmp);
  }

  /** CPU time (user + system) of this JVM so far, in ms. */
  private static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  /** Figures so far, rewritten after every kill, so a long run that is stopped early still tells what it saw. */
  private static void progress(int run, int runs, int faults, int losses, long seed, List<String> violations) throws IOException {
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "crash-runs.txt"), "after kill " + run + " of " + runs + ": faults injected "
        + faults + ", losses " + losses + ", violations " + violations.size() + ", seed " + seed + "\n");
  }

  /** Opens the data directory as the next start would, and checks that it holds only whole videos. */
  private static List<String> verify(LongshotConfig config, List<String> violations, int run) {
    List<String> ids = new ArrayList<>();
    try (Longshot longshot = Longshot.open(config)) { // also proves the killed process left no lock behind
      LibraryCheck.Report again = longshot.check();
      if (!again.clean()) {
        violations.add("run " + run + ": records and index still disagree after the start-up check: " + again);
      }
      for (VideoManifest m : longshot.videos()) {
        ids.add(m.videoId());
        Path dir = config.data().recordsDir().resolve(m.videoId());
        if (!Files.isRegularFile(dir.resolve(RecordStore.SEGMENTS))) {
          violations.add("run " + run + ": video " + m.videoId() + " has no segments file");
        }
        try (Stream<Path> kf = Files.list(dir.resolve(RecordStore.KEYFRAMES))) {
          long n = kf.count();
          if (n < m.keyframeCount()) {
            violations.add("run " + run + ": video " + m.videoId() + " has " + n + " of " + m.keyframeCount() + " keyframes");
          }
        } catch (IOException e) {
          violations.add("run " + run + ": video " + m.videoId() + " keyframes unreadable: " + e);
        }
        if (longshot.mediaFile(m.videoId()).isEmpty()) {
          violations.add("run " + run + ": video " + m.videoId() + " has no playable file");
        }
      }
    }
    return ids;
  }

  private static long jobsInFlight(LongshotConfig config) {
    return new JobStore(config.data().jobsDir()).loadAll().stream().filter(j -> !j.state().isFinal()).count();
  }

  /** Waits until the jobs a restart resumed have ended, and checks each ended with a result or a reason. */
  private void awaitAllFinal(int port, List<String> violations, int run) throws Exception {
    long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
    JsonNode jobs;
    do {
      jobs = JSON.readTree(get(port, "/api/jobs"));
      boolean busy = false;
      for (JsonNode j : jobs) {
        busy |= !j.get("state").asText().equals("SUCCEEDED") && !j.get("state").asText().equals("FAILED");
      }
      if (!busy) {
        break;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    for (JsonNode j : jobs) {
      String state = j.get("state").asText();
      boolean reasoned = state.equals("FAILED") && !j.at("/error/kind").asText().isEmpty() && !j.at("/error/detail").asText().isEmpty();
      if (!state.equals("SUCCEEDED") && !reasoned) {
        violations.add("run " + run + ": job " + j.get("jobId").asText() + " ended " + state + " without a reason: " + j);
      }
    }
  }

  private JsonNode awaitFinal(ServerProcess server, String submitted) throws Exception {
    String url = JSON.readTree(submitted).get("url").asText();
    long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode j = JSON.readTree(get(server.port(), url));
      if (j.get("state").asText().equals("SUCCEEDED") || j.get("state").asText().equals("FAILED")) {
        return j;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + url + " did not finish within " + JOB_LIMIT + "\n" + server.log());
  }

  private String post(int port, String path, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(202);
    return r.body();
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
