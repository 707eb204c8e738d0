package dev.longshot.web.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.longshot.web.SliceTestBeans;
import dev.longshot.web.TestVideos;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/** Job status endpoints through the controller slice, over the fake Longshot service of {@link SliceTestBeans}. */
@WebMvcTest
@Import(SliceTestBeans.class)
class JobControllerTest {
  @Autowired MockMvc mvc;

  @Test
  void listsJobsAndGetsOne() throws Exception {
    String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/ingest")
            .contentType(TestVideos.MULTIPART_TYPE).content(TestVideos.multipart("file", "jobs.mp4", TestVideos.mp4("jobs"))))
        .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString(), "$.jobId");
    mvc.perform(get("/api/jobs")).andExpect(status().isOk()).andExpect(jsonPath("$[?(@.jobId == '" + id + "')].fileName").value("jobs.mp4"));
    mvc.perform(get("/api/jobs/" + id)).andExpect(status().isOk())
        .andExpect(jsonPath("$.jobId").value(id))
        .andExpect(jsonPath("$.url").value("/api/jobs/" + id))
        .andExpect(jsonPath("$.percent").isNumber())
        .andExpect(jsonPath("$.path").doesNotExist());
  }

  @Test
  void unknownJobIs404Problem() throws Exception {
    mvc.perform(get("/api/jobs/nope")).andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("nope")));
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    mvc.perform(get("/api/nothing-here")).andExpect(status().isNotFound()).andExpect(jsonPath("$.status").value(404));
  }
}
