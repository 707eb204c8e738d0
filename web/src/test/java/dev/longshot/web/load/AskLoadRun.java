package dev.longshot.web.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.web.LongshotWebApplication;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 12's bounded load run, off by default: {@code -Dlongshot.load.seconds=120} starts the real app on
 * loopback, ingests the sample excerpt, then has 50 concurrent askers post {@code /api/ask} for that long while a
 * re-ingest of the lecture runs. It reports errors, p50/p99 latency and heap used after a GC before and after
 * (to {@code target/load-run.txt}); it asserts no errors. Numbers are not asserted: they depend on the machine.
 */
@EnabledIfSystemProperty(named = "longshot.load.seconds", matches = "\\d+")
class AskLoadRun {
  private static final Path REPO = Path.of(System.getProperty("longshot.repo.root", "..")).toAbsolutePath().normalize();
  private static final int ASKERS = 50;

  @Test
  void fiftyAskersWhileAnIngestRuns() throws Exception {
    int seconds = Integer.getInteger("longshot.load.seconds");
    Path tmp = Files.createTempDirectory("longshot-load");
    Path yaml = tmp.resolve("longshot.yaml");
    Files.writeString(yaml, "data:\n  dir: %s\nserver:\n  allowed-roots: [%s]\n  min-free-disk: 0\n"
        .formatted(tmp.resolve("data"), REPO.resolve("sample-media")));
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(ASKERS)).build();
    try (ConfigurableApplicationContext app = LongshotWebApplication.start("--port", "0", "--config", yaml.toString())) {
      String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
      awaitJob(http, json, base, post(http, base + "/api/ingest/path", "{\"path\":\"" + REPO.resolve("sample-media/excerpt.mp4") + "\"}"));
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      String ingest = post(http, base + "/api/ingest/path", "{\"path\":\"" + REPO.resolve("sample-media/lecture.mp4") + "\"}");
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger errors = new AtomicInteger();
      List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      String[] questions = {"What is the total budget?", "Who is giving this lecture?", "What is on the slide?"};
      try (ExecutorService askers = Executors.newFixedThreadPool(ASKERS)) {
        for (int i = 0; i < ASKERS; i++) {
          int n = i;
          askers.submit(() -> {
            int k = 0;
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ask"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("question", questions[(n + k++) % questions.length])))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                  errors.incrementAndGet();
                  errorSamples.add(r.statusCode() + " " + r.body());
                }
              } catch (Exception e) {
                errors.incrementAndGet();
                errorSamples.add(e.toString());
              }
              latencies.add((System.nanoTime() - t0) / 1_000_000);
            }
          });
        }
      }
      String ingestState = json.readTree(awaitJob(http, json, base, ingest)).get("state").asText();
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      String report = "load run: " + ASKERS + " askers for " + seconds + " s while ingesting lecture.mp4 (" + ingestState
          + "): " + sorted.size() + " asks, " + errors.get() + " errors, p50 " + pct(sorted, 0.50) + " ms, p99 "
          + pct(sorted, 0.99) + " ms, heap used after GC " + heapBefore / (1 << 20) + " MiB before, "
          + heapAfter / (1 << 20) + " MiB after";
      System.out.println(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "load-run.txt"), report + "\n" + String.join("\n", errorSamples.stream().limit(5).toList()) + "\n");
      assertThat(errors.get()).as(report + " " + errorSamples.stream().limit(3).toList()).isZero();
    }
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  private static String post(HttpClient http, String url, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.body();
  }

  private static String awaitJob(HttpClient http, ObjectMapper json, String base, String submitted) throws Exception {
    String url = base + json.readTree(submitted).get("url").asText();
    while (true) {
      String body = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      String state = json.readTree(body).get("state").asText();
      if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
        return body;
      }
      Thread.sleep(500);
    }
  }
}
