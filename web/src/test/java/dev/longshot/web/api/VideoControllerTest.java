package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.longshot.config.LongshotConfig;
import dev.longshot.timeline.VideoManifest;
import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.SliceTestBeans;
import dev.longshot.web.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Library, media and keyframe endpoints through the controller slice, over {@link FakeLongshotService} (so the
 * error paths are cheap to reach); range requests are also checked against the real server end to end.
 */
@WebMvcTest
@Import(SliceTestBeans.class)
class VideoControllerTest {
  @Autowired MockMvc mvc;
  @Autowired LongshotConfig config;
  @Autowired FakeLongshotService service;

  private VideoManifest video;
  private byte[] bytes;

  @BeforeEach
  void oneVideo() throws Exception {
    service.clear();
    bytes = TestVideos.mp4("library " + "0123456789".repeat(2000)); // 20 KB: big enough to see a range amplify it
    Path file = Files.write(Files.createDirectories(config.data().dir().resolve("library")).resolve("lecture.mp4"), bytes);
    video = service.add(file);
  }

  @Test
  void listsAndGetsVideos() throws Exception {
    mvc.perform(get("/api/videos"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].videoId").value(video.videoId()))
        .andExpect(jsonPath("$[0].fileName").value("lecture.mp4"))
        .andExpect(jsonPath("$[0].playable").value(true))
        .andExpect(jsonPath("$[0].mediaUrl").value("/api/videos/" + video.videoId() + "/media"));
    mvc.perform(get("/api/videos/" + video.videoId())).andExpect(status().isOk()).andExpect(jsonPath("$.durationMillis").value(180000));
  }

  @Test
  void malformedIdIs400AndUnknownIdIs404() throws Exception {
    mvc.perform(get("/api/videos/not-an-id"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("16 hex digits")));
    mvc.perform(get("/api/videos/0123456789abcdef"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("0123456789abcdef")));
    mvc.perform(delete("/api/videos/0123456789abcdef")).andExpect(status().isNotFound());
    mvc.perform(post("/api/videos/0123456789abcdef/reingest")).andExpect(status().isNotFound());
    mvc.perform(get("/api/videos/0123456789abcdef/media")).andExpect(status().isNotFound());
  }

  @Test
  void deleteRemovesTheVideo() throws Exception {
    mvc.perform(delete("/api/videos/" + video.videoId())).andExpect(status().isNoContent());
    assertThat(service.video(video.videoId())).isEmpty();
    mvc.perform(get("/api/videos/" + video.videoId())).andExpect(status().isNotFound());
  }

  @Test
  void deletingAnUploadedVideoRemovesItsUploadedCopyButNeverAFileIngestedByPath() throws Exception {
    Path upload = Files.write(Files.createDirectories(service.uploadsDir().resolve("up")).resolve("up.mp4"), TestVideos.mp4("uploaded copy"));
    VideoManifest uploaded = service.add(upload);
    mvc.perform(delete("/api/videos/" + uploaded.videoId())).andExpect(status().isNoContent());
    assertThat(upload).doesNotExist();
    assertThat(upload.getParent()).doesNotExist();
    mvc.perform(delete("/api/videos/" + video.videoId())).andExpect(status().isNoContent());
    assertThat(Path.of(video.sourcePath())).exists();
  }

  @Test
  void reingestQueuesAJobAndAMissingFileIs409() throws Exception {
    String jobUrl = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/videos/" + video.videoId() + "/reingest"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.source").value("reingest"))
        .andReturn().getResponse().getContentAsString(), "$.url");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> com.jayway.jsonpath.JsonPath.read(
        mvc.perform(get(jobUrl)).andReturn().getResponse().getContentAsString(), "$.state").equals("SUCCEEDED"));
    assertThat(service.video(video.videoId())).isPresent();
    Files.delete(Path.of(video.sourcePath()));
    mvc.perform(post("/api/videos/" + video.videoId() + "/reingest"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("upload it again")));
  }

  @Test
  void mediaIsServedWholeAndByRange() throws Exception {
    mvc.perform(get("/api/videos/" + video.videoId() + "/media"))
        .andExpect(status().isOk())
        .andExpect(header().string(HttpHeaders.ACCEPT_RANGES, "bytes"))
        .andExpect(content().contentType("video/mp4"))
        .andExpect(content().bytes(bytes));
    mvc.perform(get("/api/videos/" + video.videoId() + "/media").header(HttpHeaders.RANGE, "bytes=4-11"))
        .andExpect(status().isPartialContent())
        .andExpect(header().string(HttpHeaders.CONTENT_RANGE, "bytes 4-11/" + bytes.length))
        .andExpect(content().bytes(Arrays.copyOfRange(bytes, 4, 12)));
    mvc.perform(get("/api/videos/" + video.videoId() + "/media").header(HttpHeaders.RANGE, "bytes=" + (bytes.length + 10) + "-"))
        .andExpect(status().isRequestedRangeNotSatisfiable());
  }

  @Test
  void rangeEdgeCasesAreAnsweredNeverFailed() throws Exception {
    String media = "/api/videos/" + video.videoId() + "/media";
    int n = bytes.length;
    // two ranges: multipart/byteranges
    mvc.perform(get(media).header(HttpHeaders.RANGE, "bytes=0-1,4-5"))
        .andExpect(status().isPartialContent())
        .andExpect(content().contentTypeCompatibleWith("multipart/byteranges"));
    // a suffix longer than the file is the whole file (RFC 9110 14.1.2)
    mvc.perform(get(media).header(HttpHeaders.RANGE, "bytes=-" + (10L * n)))
        .andExpect(status().isPartialContent())
        .andExpect(header().string(HttpHeaders.CONTENT_RANGE, "bytes 0-" + (n - 1) + "/" + n))
        .andExpect(content().bytes(bytes));
    // an end past the file is clipped to it
    mvc.perform(get(media).header(HttpHeaders.RANGE, "bytes=4-" + Long.MAX_VALUE))
        .andExpect(status().isPartialContent())
        .andExpect(header().string(HttpHeaders.CONTENT_RANGE, "bytes 4-" + (n - 1) + "/" + n));
    // numbers that overflow a long, reversed and malformed ranges, other units, and more ranges than bytes
    String many = "bytes=" + String.join(",", java.util.Collections.nCopies(200, "0-" + (n - 1)));
    for (String range : java.util.List.of("bytes=0-99999999999999999999", "bytes=99999999999999999999-",
        "bytes=-99999999999999999999", "bytes=5-2", "bytes=abc", "bytes=--1", "items=0-1", "bytes=", many)) {
      int status = mvc.perform(get(media).header(HttpHeaders.RANGE, range)).andReturn().getResponse().getStatus();
      assertThat(status).as(range.length() > 60 ? range.substring(0, 60) + "..." : range).isIn(200, 206, 416);
    }
  }

  @Test
  void rangesCannotAmplifyTheFile() throws Exception {
    // overlapping ranges that each cover the file, or thousands of tiny ones: never more bytes than the file plus
    // the multipart framing of a handful of parts
    String media = "/api/videos/" + video.videoId() + "/media";
    int n = bytes.length;
    String tenThousand = "bytes=" + java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> (i % n) + "-" + (i % n))
        .collect(java.util.stream.Collectors.joining(","));
    java.util.Map<String, Integer> framing = new java.util.LinkedHashMap<>();
    framing.put("bytes=0-" + (n - 1) + ",0-" + (n - 1), 1000);
    framing.put("bytes=0-,0-,0-", 1000);
    framing.put("bytes=-" + n + ",0-", 1000);
    framing.put("bytes=0-" + (n / 2) + "," + (n / 4) + "-" + (n - 1), 1000);
    framing.put(tenThousand, 100 * 200);
    framing.put("bytes=" + "0-0,".repeat(99) + "0-0", 100 * 200);
    assertThat(n).isGreaterThan(1000);
    framing.forEach((range, overhead) -> {
      try {
        var r = mvc.perform(get(media).header(HttpHeaders.RANGE, range)).andReturn().getResponse();
        String what = range.length() > 60 ? range.substring(0, 60) + "..." : range;
        assertThat(r.getStatus()).as(what).isIn(200, 206, 416);
        assertThat(r.getContentAsByteArray().length).as(what).isLessThanOrEqualTo(n + overhead);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void methodsTheRoutesDoNotTakeAre405Problems() throws Exception {
    String one = "/api/videos/" + video.videoId();
    for (var request : java.util.List.of(put(one), patch(one), post(one), post(one + "/media"), delete(one + "/media"),
        put("/api/videos"), delete("/api/videos"))) {
      mvc.perform(request)
          .andExpect(status().isMethodNotAllowed())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
    assertThat(service.video(video.videoId())).isPresent();
  }

  @Test
  void mediaWhoseFileIsGoneIs404() throws Exception {
    Files.delete(Path.of(video.sourcePath()));
    mvc.perform(get("/api/videos/" + video.videoId() + "/media"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("no longer")));
  }

  @Test
  void keyframesAreServedAndPathTricksRejected() throws Exception {
    String base = "/api/videos/" + video.videoId() + "/keyframes/";
    mvc.perform(get(base + "k000022000.jpg")).andExpect(status().isOk()).andExpect(content().contentType(MediaType.IMAGE_JPEG));
    mvc.perform(get(base + "k999.jpg")).andExpect(status().isNotFound());
    mvc.perform(get(base + "..%2Fmanifest.json")).andExpect(status().is4xxClientError());
    mvc.perform(get(base + "manifest.json")).andExpect(status().isBadRequest());
    // the rule is the record store's (letters, digits, - and _, then .jpg); the controller had its own copy that
    // also took .jpeg and .png, names no record holds
    mvc.perform(get(base + "k000022000.png")).andExpect(status().isBadRequest());
    mvc.perform(get(base + "k000022000.jpeg")).andExpect(status().isBadRequest());
  }
}
