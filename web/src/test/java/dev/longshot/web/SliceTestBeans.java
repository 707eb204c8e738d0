package dev.longshot.web;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
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
    Path dir = Files.createTempDirectory("longshot-web-slice");
    Path allowed = Files.createDirectories(dir.resolve("allowed"));
    Path yaml = dir.resolve("longshot.yaml");
    Files.writeString(yaml, """
        data:
          dir: %s
        server:
          max-upload-bytes: %d
          allowed-roots: [%s]
          ingest-workers: 1
          queue-limit: 2
          min-free-disk: 0
        """.formatted(dir.resolve("data"), MAX_UPLOAD, allowed));
    return ConfigLoader.load(yaml, Map.of("HOME", dir.toString()));
  }

  @Bean
  FakeLongshotService longshotService(LongshotConfig config) {
    return new FakeLongshotService(config.data().dir());
  }

  @Bean(destroyMethod = "close")
  IngestJobRunner ingestJobRunner(FakeLongshotService service, LongshotConfig config) {
    return new IngestJobRunner(service, new JobStore(config.data().jobsDir()), 1, 2, Clock.systemUTC());
  }
}
