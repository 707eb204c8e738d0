package dev.longshot.web.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.timeline.Json;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A job's source is a closed choice with the wire and file names of the string it replaced. */
class JobSourceTest {
  private static final ObjectMapper JSON = Json.mapper();

  @Test
  void aJobFileOfTheStringVersionReadsBackAndIsWrittenTheSameWay() throws Exception {
    String old = "{\"formatVersion\":1,\"id\":\"j1\",\"source\":\"reingest\",\"path\":\"/v/a.mp4\",\"fileName\":\"a.mp4\","
        + "\"state\":\"QUEUED\",\"stage\":\"queued\",\"percent\":0,\"message\":\"queued\"}";
    IngestJob job = JSON.readValue(old, IngestJob.class);
    assertThat(job.source()).isEqualTo(JobSource.REINGEST);
    assertThat(JSON.writeValueAsString(job)).contains("\"source\":\"reingest\"");
  }

  @Test
  void theWireNamesAreTheLowerCaseConstantNames() throws Exception {
    for (JobSource s : JobSource.values()) {
      assertThat(JSON.writeValueAsString(s)).isEqualTo("\"" + s.name().toLowerCase(Locale.ROOT) + "\"");
      assertThat(JSON.readValue("\"" + s.name().toLowerCase(Locale.ROOT) + "\"", JobSource.class)).isEqualTo(s);
    }
  }
}
