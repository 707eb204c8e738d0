package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.LongshotConfig;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.timeline.VideoManifest;
import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.SliceTestBeans;
import dev.longshot.web.TestVideos;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Questions through the controller slice over {@link FakeLongshotService}, whose evidence quotes text with a
 * {@code <script>} tag, as a hostile video could; the real answerer is exercised end to end.
 */
@WebMvcTest
@Import(SliceTestBeans.class)
class AskControllerTest {
  @Autowired MockMvc mvc;
  @Autowired LongshotConfig config;
  @Autowired FakeLongshotService service;
  @Autowired ObjectMapper json;

  private VideoManifest video;

  @BeforeEach
  void oneVideo() throws Exception {
    service.clear();
    video = service.add(Files.write(Files.createDirectories(config.data().dir().resolve("ask")).resolve("talk.mp4"), TestVideos.mp4("ask")));
  }

  private String ask(String question, List<String> ids) throws Exception {
    return json.writeValueAsString(new AskRequest(question, ids));
  }

  @Test
  void answersWithEvidenceAndKeepsHostileTextAsPlainData() throws Exception {
    mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(ask("What is the budget?", List.of(video.videoId()))))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.backend").value("fake"))
        .andExpect(jsonPath("$.evidence[0].videoId").value(video.videoId()))
        .andExpect(jsonPath("$.evidence[0].fileName").value("talk.mp4"))
        .andExpect(jsonPath("$.evidence[0].modality").value("ocr"))
        .andExpect(jsonPath("$.evidence[0].startMillis").value(22000))
        .andExpect(jsonPath("$.evidence[0].text").value(FakeLongshotService.HOSTILE_TEXT))
        .andExpect(jsonPath("$.evidence[0].keyframeUrl").value("/api/videos/" + video.videoId() + "/keyframes/k000022000.jpg"));
  }

  @Test
  void badQuestionsAre400WithAReason() throws Exception {
    expect400(ask("   ", null), "question is empty");
    expect400(ask("x".repeat(QuestionAnswering.MAX_QUESTION_CHARS + 1), null), "the limit is 1000");
    expect400(ask("<script>alert(1)</script> budget?", null), "plain text");
    expect400(ask("what is <img src=x onerror=alert(1)>", null), "plain text");
    expect400(ask("budget?", List.of("../../etc")), "not a video id");
    expect400("{\"question\": ", "");
  }

  @Test
  void plainComparisonsAreNotMistakenForMarkup() throws Exception {
    mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(ask("is 3 < 4 and 5 > 2?", null)))
        .andExpect(status().isOk());
  }

  @Test
  void unknownVideoIs404() throws Exception {
    mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(ask("budget?", List.of("0123456789abcdef"))))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("0123456789abcdef")));
  }

  @Test
  void streamSendsEvidenceThenTokensThenTheAnswer() throws Exception {
    MvcResult started = mvc.perform(get("/api/ask/stream").param("question", "What is the budget?").param("videoId", video.videoId()))
        .andExpect(request().asyncStarted()).andReturn();
    String body = mvc.perform(asyncDispatch(started))
        .andExpect(status().isOk())
        .andReturn().getResponse().getContentAsString();
    int evidence = body.indexOf("event:evidence");
    int token = body.indexOf("event:token");
    int answer = body.indexOf("event:answer");
    assertThat(evidence).isNotNegative();
    assertThat(token).isGreaterThan(evidence);
    assertThat(answer).isGreaterThan(body.lastIndexOf("event:token"));
    assertThat(body).contains(FakeLongshotService.HOSTILE_TEXT);
    assertThat(body).contains("event:token\ndata:{\"text\":\"At 00:22");
  }

  @Test
  void anUnreachableModelServerIsNamedWithWhatToCheckNotHiddenBehindTheLog() throws Exception {
    String question = "What is the budget? " + FakeLongshotService.MODEL_DOWN;
    mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(ask(question, null)))
        .andExpect(status().isBadGateway())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("answer.base-url")))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("ConnectException")))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("server log"))));
    MvcResult started = mvc.perform(get("/api/ask/stream").param("question", question)).andExpect(request().asyncStarted()).andReturn();
    String body = mvc.perform(asyncDispatch(started)).andReturn().getResponse().getContentAsString();
    assertThat(body).contains("event:error").contains("answer.base-url").doesNotContain("the server log has the details");
  }

  @Test
  void streamRejectsBadQuestionsBeforeStreaming() throws Exception {
    mvc.perform(get("/api/ask/stream").param("question", "<b>hi</b>"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("plain text")));
    mvc.perform(get("/api/ask/stream"))
        .andExpect(status().isBadRequest());
  }

  private void expect400(String body, String detail) throws Exception {
    mvc.perform(post("/api/ask").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(detail)));
  }
}
