package dev.longshot.web.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.app.LongshotService;
import dev.longshot.web.LongshotWebApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency of {@code POST /api/ask} and of the SSE stream's first evidence event on the sample lecture, next to
 * the baseline of the same questions asked in-process through {@link LongshotService} (the ratio is what HTTP,
 * JSON and the web layer add). Starts the app on a free port over a temp data directory and ingests
 * {@code sample-media/lecture.mp4} by server path first.
 *
 * <p>Run: {@code bench/run web dev.longshot.web.bench.AskLatencyBenchmark [rounds]} (default 20 rounds of 4
 * questions, after one warm-up round).
 */
public final class AskLatencyBenchmark {
  private static final List<String> QUESTIONS = List.of("What is the total budget?", "When is the final report due?",
      "How many buoys are in the sensor network?", "Which city hosts the data center?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AskLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path repo = Path.of(System.getProperty("longshot.repo.root", ".")).toAbsolutePath().normalize();
    Path sample = repo.resolve("sample-media/lecture.mp4");
    Path tmp = Files.createTempDirectory("longshot-ask-bench");
    Path yaml = Files.writeString(tmp.resolve("longshot.yaml"), "data:\n  dir: %s\nserver:\n  allowed-roots: [%s]\n"
        .formatted(tmp.resolve("data"), sample.getParent()));
    try (ConfigurableApplicationContext app = LongshotWebApplication.start("--port", "0", "--config", yaml.toString())) {
      String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
      HttpClient http = HttpClient.newHttpClient();
      String videoId = ingest(http, base, sample);
      LongshotService service = app.getBean(LongshotService.class);
      long[] inProcess = new long[rounds * QUESTIONS.size()];
      long[] overHttp = new long[inProcess.length];
      long[] firstEvidence = new long[inProcess.length];
      for (int round = -1; round < rounds; round++) { // round -1 warms up and is not counted
        for (int q = 0; q < QUESTIONS.size(); q++) {
          String question = QUESTIONS.get(q);
          long t0 = System.nanoTime();
          service.ask(question, Set.of(videoId));
          long t1 = System.nanoTime();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ask"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("question", question, "videoIds", List.of(videoId)))))
              .build(), HttpResponse.BodyHandlers.ofString());
          long t2 = System.nanoTime();
          long evidence = streamUntilEvidence(http, base, question);
          if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /api/ask answered " + r.statusCode() + ": " + r.body());
          }
          if (round >= 0) {
            int i = round * QUESTIONS.size() + q;
            inProcess[i] = t1 - t0;
            overHttp[i] = t2 - t1;
            firstEvidence[i] = evidence;
          }
        }
      }
      System.out.printf("ask latency, sample-media/lecture.mp4, %d asks per row, %d cores%n", inProcess.length,
          Runtime.getRuntime().availableProcessors());
      row("baseline: LongshotService.ask in-process", inProcess, inProcess);
      row("POST /api/ask (HTTP round trip)", overHttp, inProcess);
      row("GET /api/ask/stream, first evidence event", firstEvidence, inProcess);
    }
  }

  private static String ingest(HttpClient http, String base, Path sample) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ingest/path"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("path", sample.toString())))).build(),
        HttpResponse.BodyHandlers.ofString());
    String url = JSON.readTree(r.body()).get("url").asText();
    for (;;) {
      JsonNode job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + url)).build(), HttpResponse.BodyHandlers.ofString()).body());
      switch (job.get("state").asText()) {
        case "SUCCEEDED" -> {
          return job.get("videoId").asText();
        }
        case "FAILED" -> throw new IllegalStateException("ingest failed: " + job);
        default -> Thread.sleep(500);
      }
    }
  }

  /** Nanoseconds from sending the request to reading the first {@code event:evidence} line; drains the rest. */
  private static long streamUntilEvidence(HttpClient http, String base, String question) throws Exception {
    String q = java.net.URLEncoder.encode(question, java.nio.charset.StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ask/stream?question=" + q)).build(),
        HttpResponse.BodyHandlers.ofLines());
    long[] at = {-1};
    try (var lines = r.body()) {
      lines.forEach(line -> {
        if (at[0] < 0 && line.startsWith("event:evidence")) {
          at[0] = System.nanoTime() - t0;
        }
      });
    }
    if (at[0] < 0) {
      throw new IllegalStateException("the stream sent no evidence event");
    }
    return at[0];
  }

  private static void row(String name, long[] nanos, long[] baseline) {
    System.out.printf("  %-44s median %7.1f ms  p90 %7.1f ms  (median %.2fx baseline)%n", name, ms(pct(nanos, 50)), ms(pct(nanos, 90)),
        (double) pct(nanos, 50) / pct(baseline, 50));
  }

  private static long pct(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
