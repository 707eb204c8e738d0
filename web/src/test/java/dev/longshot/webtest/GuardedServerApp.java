package dev.longshot.webtest;

import dev.longshot.config.LongshotConfig;
import dev.longshot.web.ApiWebConfig;
import dev.longshot.web.FakeLongshotService;
import dev.longshot.web.TempLibrary;
import dev.longshot.web.jobs.IngestJobRunner;
import java.io.IOException;
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
    return TempLibrary.config("longshot-guard", """
        api-key: %s
        allowed-hosts: [proxy.example]
        ingest-workers: 1
        queue-limit: 2
        """.formatted(KEY));
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
