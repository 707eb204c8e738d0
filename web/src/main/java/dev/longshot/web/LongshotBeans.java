package dev.longshot.web;

import dev.longshot.app.Longshot;
import dev.longshot.app.LongshotService;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobStore;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.time.Clock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Longshot into Spring: the {@link Longshot} use cases (opened once, closed with the context), the ingest
 * job runner (which resumes interrupted jobs at start) and the OpenAPI description. Uploads are streamed by {@code
 * UploadReceiver} itself (Spring's multipart handling is off), so its size and free-space checks run while the
 * body arrives.
 */
@Configuration(proxyBeanMethods = false)
public class LongshotBeans {
  @Bean(destroyMethod = "close")
  LongshotService longshotService(LongshotConfig config) {
    return Longshot.open(config);
  }

  @Bean(destroyMethod = "close")
  IngestJobRunner ingestJobRunner(LongshotService service, LongshotConfig config) {
    IngestJobRunner runner = new IngestJobRunner(service, new JobStore(config.data().jobsDir()),
        config.server().ingestWorkers(), config.server().queueLimit(), Clock.systemUTC(), config.server().jobTimeout());
    runner.recover();
    return runner;
  }

  /** Adds the library size and the ingest queue to {@code /actuator/health}. */
  @Bean
  HealthIndicator longshot(LongshotService service, IngestJobRunner jobs, LongshotConfig config) {
    return () -> Health.up()
        .withDetail("dataDir", config.data().dir().toString())
        .withDetail("videos", service.videos().size())
        .withDetail("jobsQueuedOrRunning", jobs.jobs().stream().filter(j -> !j.state().isFinal()).count())
        .build();
  }

  @Bean
  OpenAPI longshotOpenApi() {
    return new OpenAPI().info(new Info().title("Longshot API").version("1")
        .description("Question answering over long videos with timestamped evidence. Errors are RFC 9457 problem "
            + "details. When server.api-key is set, every /api request needs header X-Api-Key."));
  }
}
