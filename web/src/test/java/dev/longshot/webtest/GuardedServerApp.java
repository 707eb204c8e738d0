package dev.longshot.webtest;

import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.ApiWebConfig;
import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The real web stack (Tomcat on a random port, the app's MVC and guard configuration, the real controllers and
 * job runner) with an API key set, over {@link FakeLongshotService}: the guard tests are about which requests
 * reach a handler, not about ingest. It lives outside {@code dev.longshot.web} so that the app's own component
 * scan (the end-to-end test starts the real app) never picks it up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan("dev.longshot.web.api")
@Import(ApiWebConfig.class)
public class GuardedServerApp {
  public static final String KEY = "k3y-" + Long.toHexString(System.nanoTime());

  @Bean
  LongshotConfig longshotConfig() throws IOException {
    Path dir = Files.createTempDirectory("longshot-guard");
    Path allowed = Files.createDirectories(dir.resolve("allowed"));
    Path yaml = dir.resolve("longshot.yaml");
    Files.writeString(yaml, """
        data:
          dir: %s
        server:
          api-key: %s
          allowed-roots: [%s]
          allowed-hosts: [proxy.example]
          min-free-disk: 0
        """.formatted(dir.resolve("data"), KEY, allowed));
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
