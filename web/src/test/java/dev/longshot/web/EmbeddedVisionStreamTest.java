package dev.longshot.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code answer.backend: embedded} with a vision-language model through the real server: a tiny random-weight
 * SmolVLM2 (vlm-runtime's test model, written as a Hugging Face directory; no real SmolVLM can be downloaded here)
 * answers {@code GET /api/ask/stream} for a clip FFmpeg draws and the real pipeline ingests (Tesseract, FFmpeg,
 * BGE-small; ASR and detection off to keep it short). The stream sends the evidence with its keyframe, then the
 * tokens, then the answer whose text is the tokens joined; the vision tower saw the keyframe (its log line) and the
 * prompt was SmolVLM2's video form with the clip's length from its manifest.
 */
class EmbeddedVisionStreamTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void aVisionModelStreamsItsAnswerWithTheKeyframeThroughTheRealServer() throws Exception {
    Path model = tmp.resolve("smolvlm2");
    RandomSmolVlm.tiny(3).writeHuggingFace(model);
    Path cfg = model.resolve("config.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"model_type\":\"idefics3\"", "\"model_type\":\"smolvlm\""));
    Path clip = clip(tmp);
    String key = "k-" + UUID.randomUUID();
    Path yaml = Files.writeString(tmp.resolve("longshot.yaml"), """
        data:
          dir: %s
        server:
          allowed-roots: [%s]
          api-key: %s
        asr:
          backend: none
        detector:
          backend: none
        answer:
          backend: embedded
          max-keyframes: 2
        vlm:
          model: %s
          threads: 1
          context-length: 1024
          max-tokens: 6
        """.formatted(tmp.resolve("data"), tmp, key, model));
    List<String> towerLog = new ArrayList<>();
    Logger smolVlm = Logger.getLogger("dev.longshot.vlm.multimodal.SmolVlm");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (towerLog) {
          towerLog.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level before = smolVlm.getLevel();
    smolVlm.setLevel(Level.FINE);
    smolVlm.addHandler(capture);
    ConfigurableApplicationContext app = LongshotWebApplication.start("--port", "0", "--config", yaml.toString());
    try {
      String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      var ingest = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ingest/path")).header("X-Api-Key", key)
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString(JSON.writeValueAsString(
              Map.of("path", clip.toString())))).build(), BodyHandlers.ofString());
      assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(202);
      String jobUrl = JSON.readTree(ingest.body()).get("url").asText();
      JsonNode job = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(
          () -> JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + jobUrl)).header("X-Api-Key", key)
              .build(), BodyHandlers.ofString()).body()),
          j -> j.get("state").asText().equals("SUCCEEDED") || j.get("state").asText().equals("FAILED"));
      assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      String videoId = job.get("videoId").asText();

      String url = base + "/api/ask/stream?question=" + URLEncoder.encode("What is the budget?",
          StandardCharsets.UTF_8) + "&videoId=" + videoId;
      List<String[]> events = new ArrayList<>();
      String[] pending = {null};
      try (Stream<String> lines = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", key)
          .timeout(Duration.ofMinutes(2)).build(), BodyHandlers.ofLines()).body()) {
        lines.forEach(line -> {
          if (line.startsWith("event:")) {
            pending[0] = line.substring(6).strip();
          } else if (line.startsWith("data:") && pending[0] != null) {
            events.add(new String[] {pending[0], line.substring(5)});
          }
        });
      }
      List<String> names = events.stream().map(e -> e[0]).toList();
      assertThat(names).as(names.toString()).first().isEqualTo("evidence");
      assertThat(names).last().isEqualTo("answer");
      assertThat(names).doesNotContain("error").contains("token");
      JsonNode evidence = JSON.readTree(events.get(0)[1]);
      assertThat(evidence.findValuesAsText("keyframeUrl")).anySatisfy(u -> assertThat(u).isNotEqualTo("null"));
      StringBuilder tokens = new StringBuilder();
      events.stream().filter(e -> e[0].equals("token")).forEach(e -> tokens.append(readText(e[1])));
      JsonNode answer = JSON.readTree(events.get(events.size() - 1)[1]);
      assertThat(answer.get("backend").asText()).isEqualTo("embedded");
      assertThat(answer.get("answer").asText()).isEqualTo(tokens.toString().strip());
      synchronized (towerLog) {
        // SmolVlm.embeddings logs "N tiles encoded in X ms" at DEBUG: the keyframe went through the vision tower
        assertThat(towerLog).anySatisfy(m -> assertThat(m).matches("[1-9]\\d* tiles encoded in \\d+ ms"));
      }
    } finally {
      app.close();
      smolVlm.removeHandler(capture);
      smolVlm.setLevel(before);
    }
  }

  private static String readText(String json) {
    try {
      return JSON.readTree(json).get("text").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A 4 s clip with one slide of text, drawn by FFmpeg. */
  private static Path clip(Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("slide.txt"), "Total budget 4.2 million\n");
    Path clip = dir.resolve("budget.mp4");
    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x1e3a5f:s=640x360:d=4:r=10",
        "-vf", "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=" + text
            + ":fontsize=40:fontcolor=white:x=40:y=150", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("ffmpeg: " + log).isZero();
    return clip;
  }
}
