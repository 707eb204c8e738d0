package dev.longshot.web;

import dev.longshot.config.LongshotConfig;
import dev.longshot.web.jobs.IngestJobRunner;
import java.io.IOException;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Beans for the controller slice tests: a config over a fresh temp data directory (1 MiB upload limit, one
 * allowed root, one worker and a queue of two), the {@link FakeLongshotService} and a real job runner over it.
 * Every slice test imports exactly this, so they share one Spring context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SliceTestBeans {
  public static final long MAX_UPLOAD = 1 << 20;

  @Bean
  LongshotConfig longshotConfig() throws IOException {
    return TempLibrary.config("longshot-web-slice", """
        max-upload-bytes: %d
        ingest-workers: 1
        queue-limit: 2
        """.formatted(MAX_UPLOAD));
  }

  @Bean
  FakeLongshotService longshotService(LongshotConfig config) {
    return new FakeLongshotService(config.data().dir());
  }

  @Bean(destroyMethod = "close")
  IngestJobRunner ingestJobRunner(FakeLongshotService service, LongshotConfig config) {
    return TempLibrary.jobRunner(service, config);
  }
}
