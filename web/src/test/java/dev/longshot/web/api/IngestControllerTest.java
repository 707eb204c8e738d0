package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.SliceTestBeans;
import dev.longshot.web.TestVideos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Upload and path ingest through the controller slice. The Longshot facade is {@link FakeLongshotService} here
 * (no decoding), because these tests are about HTTP validation and error mapping; the end-to-end test ingests the
 * real sample video.
 */
@WebMvcTest
@Import(SliceTestBeans.class)
class IngestControllerTest {
  @Autowired MockMvc mvc;
  @Autowired LongshotConfig config;
  @Autowired FakeLongshotService service;
  @Autowired ObjectMapper json;

  /** An upload as a browser sends it: a raw multipart body, which the controller streams itself. */
  private static MockHttpServletRequestBuilder upload(String name, byte[] content) {
    return post("/api/ingest").contentType(TestVideos.MULTIPART_TYPE).content(TestVideos.multipart("file", name, content));
  }

  @Test
  void uploadIsStoredUnderItsContentIdAndIngestedByAJob() throws Exception {
    String body = mvc.perform(upload("talk.mp4", TestVideos.mp4("upload-ok")))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/jobs/")))
        .andExpect(jsonPath("$.fileName").value("talk.mp4"))
        .andReturn().getResponse().getContentAsString();
    JsonNode job = awaitFinal(json.readTree(body).get("jobId").asText());
    assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
    String videoId = job.get("videoId").asText();
    assertThat(config.data().uploadsDir().resolve(videoId).resolve("talk.mp4")).exists();
    assertThat(service.video(videoId)).isPresent();
  }

  @Test
  void identicalContentIsStoredOnceAndARefusedReUploadKeepsTheIndexedFile() throws Exception {
    byte[] content = TestVideos.mp4("stored-once");
    JsonNode first = awaitFinal(json.readTree(mvc.perform(upload("first.mp4", content)).andExpect(status().isAccepted())
        .andReturn().getResponse().getContentAsString()).get("jobId").asText());
    String videoId = first.get("videoId").asText();
    Path stored = config.data().uploadsDir().resolve(videoId).resolve("first.mp4");
    assertThat(stored).exists();
    JsonNode again = awaitFinal(json.readTree(mvc.perform(upload("second.mp4", content)).andExpect(status().isAccepted())
        .andReturn().getResponse().getContentAsString()).get("jobId").asText());
    assertThat(again.get("videoId").asText()).isEqualTo(videoId);
    try (Stream<Path> files = Files.list(stored.getParent())) {
      assertThat(files).containsExactly(stored); // stored once, under the first name
    }
    service.resetSlow();
    try {
      for (int i = 0; i < 3; i++) {
        mvc.perform(upload("slow-keep-" + i + ".mp4", TestVideos.mp4("slow-keep" + i))).andExpect(status().isAccepted());
      }
      mvc.perform(upload("first.mp4", content)).andExpect(status().isTooManyRequests());
      assertThat(stored).as("a 429 for identical content must not delete the indexed video's file").exists();
    } finally {
      service.releaseSlow();
    }
    awaitIdle();
  }

  @Test
  void aFailedJobOverContentAlreadyStoredLeavesTheStoredFile() throws Exception {
    byte[] content = TestVideos.mp4("indexed-then-failed");
    Path dir = Files.createDirectories(config.data().uploadsDir().resolve(dev.longshot.timeline.VideoId.of(
        Files.write(Files.createTempFile("probe", ".mp4"), content))));
    Path stored = Files.write(dir.resolve("corrupt-indexed.mp4"), content);
    service.add(stored); // in the library, playing from the stored upload
    JsonNode job = awaitFinal(json.readTree(mvc.perform(upload("corrupt-indexed.mp4", content))
        .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString()).get("jobId").asText());
    assertThat(job.get("state").asText()).isEqualTo("FAILED");
    assertThat(stored).as("the failed job did not create this file, so it must not delete it").exists();
  }

  @Test
  void emptyUploadIs400() throws Exception {
    mvc.perform(upload("empty.mp4", new byte[0]))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("\"empty.mp4\" is empty")));
  }

  @Test
  void nonVideoExtensionIs415() throws Exception {
    mvc.perform(upload("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("notes.txt")));
  }

  @Test
  void textDisguisedAsMp4Is415AndLeavesNothingBehind() throws Exception {
    mvc.perform(upload("fake.mp4", "just some text, not a video at all".getBytes(StandardCharsets.UTF_8)))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("does not look like a video")));
    assertThat(filesNamed("fake.mp4")).isEmpty();
  }

  @Test
  void fileNamesWithPathPartsAre400AndNothingIsWritten() throws Exception {
    for (String name : List.of("../evil.mp4", "sub/evil.mp4", "..\\evil.mp4", "/etc/evil.mp4", ".hidden.mp4")) {
      mvc.perform(upload(name, TestVideos.mp4(name)))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("is not allowed")));
    }
    assertThat(filesNamed("evil.mp4")).isEmpty();
    assertThat(config.data().dir().getParent().resolve("evil.mp4")).doesNotExist();
  }

  @Test
  void aLeadingSpaceDoesNotSmuggleADotFileName() throws Exception {
    // the name was checked for a leading dot before it was stripped: " .hidden.mp4" was stored as ".hidden.mp4"
    for (String name : List.of(" .hidden.mp4", "\u2003.hidden.mp4", " ..mp4")) {
      mvc.perform(upload(name, TestVideos.mp4(name)))
          .andExpect(status().isBadRequest())
          .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("is not allowed")));
    }
    assertThat(filesNamed(".hidden.mp4")).isEmpty();
  }

  @Test
  void uploadOverTheLimitIs413() throws Exception {
    byte[] big = new byte[(int) SliceTestBeans.MAX_UPLOAD + 1];
    byte[] head = TestVideos.mp4("big");
    System.arraycopy(head, 0, big, 0, head.length);
    mvc.perform(upload("big.mp4", big))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("server.max-upload-bytes")));
  }

  @Test
  void missingFilePartIs400() throws Exception {
    mvc.perform(post("/api/ingest").contentType(TestVideos.MULTIPART_TYPE).content(TestVideos.multipart("other", null, "x".getBytes(StandardCharsets.UTF_8))))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("field \"file\"")));
  }

  @Test
  void ingestFailureIsRecordedOnTheJobWithItsKindAndTheUploadIsRemoved() throws Exception {
    String body = mvc.perform(upload("corrupt.mp4", TestVideos.mp4("corrupt")))
        .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
    JsonNode job = awaitFinal(json.readTree(body).get("jobId").asText());
    assertThat(job.get("state").asText()).isEqualTo("FAILED");
    assertThat(job.at("/error/kind").asText()).isEqualTo("CORRUPT");
    assertThat(job.at("/error/status").asInt()).isEqualTo(422);
    assertThat(job.at("/error/detail").asText()).contains("corrupt.mp4");
    assertThat(filesNamed("corrupt.mp4")).isEmpty();
  }

  @Test
  void pathInsideAllowedRootIsQueued() throws Exception {
    Path video = Files.write(allowedRoot().resolve("inside.mp4"), TestVideos.mp4("inside"));
    String body = mvc.perform(post("/api/ingest/path").contentType(MediaType.APPLICATION_JSON).content(pathJson(video.toString())))
        .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
    assertThat(awaitFinal(json.readTree(body).get("jobId").asText()).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void pathsOutsideTheRootsOrBrokenAreRejectedWithTheRightStatus() throws Exception {
    Path root = allowedRoot();
    Files.write(root.resolve("notes.txt"), "x".getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(root.resolve("folder"));
    Path outside = Files.write(config.data().dir().resolve("outside.mp4"), TestVideos.mp4("outside"));
    Path link = root.resolve("link.mp4");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, outside);
    expectPath("/etc/passwd", 403, "outside the allowed folders");
    expectPath(root + "/../outside.mp4", 403, "outside the allowed folders");
    expectPath(link.toString(), 403, "outside the allowed folders");
    expectPath("relative/video.mp4", 400, "is relative");
    expectPath(root + "/missing.mp4", 404, "No file at");
    expectPath(root + "/folder", 400, "is not a file");
    expectPath(root + "/notes.txt", 415, "not a video file");
    expectPath("", 400, "field \"path\"");
  }

  @Test
  void malformedJsonIs400Problem() throws Exception {
    mvc.perform(post("/api/ingest/path").contentType(MediaType.APPLICATION_JSON).content("{\"path\": "))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    service.resetSlow();
    try {
      for (int i = 0; i < 3; i++) { // one worker plus a queue of two
        mvc.perform(upload("slow-" + i + ".mp4", TestVideos.mp4("slow" + i)))
            .andExpect(status().isAccepted());
      }
      mvc.perform(upload("slow-3.mp4", TestVideos.mp4("slow3")))
          .andExpect(status().isTooManyRequests())
          .andExpect(header().exists("Retry-After"))
          .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("queue is full")));
      assertThat(filesNamed("slow-3.mp4")).isEmpty();
    } finally {
      service.releaseSlow();
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(json.readTree(
        mvc.perform(get("/api/jobs")).andReturn().getResponse().getContentAsString()).findValuesAsText("state").toArray())
        .noneMatch(s -> s.equals("QUEUED") || s.equals("RUNNING")));
  }

  private void awaitIdle() {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(json.readTree(
        mvc.perform(get("/api/jobs")).andReturn().getResponse().getContentAsString()).findValuesAsText("state").toArray())
        .noneMatch(s -> s.equals("QUEUED") || s.equals("RUNNING")));
  }

  private void expectPath(String path, int status, String detail) throws Exception {
    mvc.perform(post("/api/ingest/path").contentType(MediaType.APPLICATION_JSON).content(pathJson(path)))
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(detail)));
  }

  private String pathJson(String path) throws IOException {
    return json.writeValueAsString(new PathIngestRequest(path));
  }

  private Path allowedRoot() {
    return config.server().allowedRoots().getFirst();
  }

  private List<Path> filesNamed(String name) throws IOException {
    try (Stream<Path> all = Files.walk(config.data().dir())) {
      return all.filter(p -> p.getFileName().toString().equals(name)).toList();
    }
  }

  private JsonNode awaitFinal(String jobId) {
    return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(
        mvc.perform(get("/api/jobs/" + jobId)).andReturn().getResponse().getContentAsString()),
        j -> j.get("state").asText().equals("SUCCEEDED") || j.get("state").asText().equals("FAILED"));
  }
}
