package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.longshot.ingest.media.MediaFormats;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.web.SliceTestBeans;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The page states the server's limits that the browser enforces first (the upload picker's extensions, the question
 * length) from the Java constants the API checks, so the two cannot drift apart.
 */
@WebMvcTest
@Import(SliceTestBeans.class)
class PageControllerTest {
  @Autowired MockMvc mvc;

  private String attribute(String page, String inputId, String name) {
    Matcher input = Pattern.compile("<input id=\"" + inputId + "\"[^>]*>").matcher(page);
    assertThat(input.find()).as("input #%s on the page", inputId).isTrue();
    Matcher value = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(input.group());
    assertThat(value.find()).as("%s of #%s", name, inputId).isTrue();
    return value.group(1);
  }

  @Test
  void thePageTakesTheUploadExtensionsAndTheQuestionLengthFromTheServer() throws Exception {
    for (String path : new String[] {"/", "/index.html"}) {
      String page = mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
      assertThat(attribute(page, "question", "maxlength"))
          .isEqualTo(String.valueOf(QuestionAnswering.MAX_QUESTION_CHARS));
      assertThat(Arrays.asList(attribute(page, "upload-file", "accept").split(",")))
          .containsExactlyElementsOf(MediaFormats.sortedVideoExtensions().stream().map(e -> "." + e).toList());
      assertThat(page).doesNotContain("{{");
    }
  }
}
