package dev.longshot.web;

import dev.longshot.app.Longshot;
import dev.longshot.app.LongshotService;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.api.UploadReceiver;
import dev.longshot.web.jobs.IngestJobRunner;
import dev.longshot.web.jobs.JobStore;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Longshot into Spring: the {@link Longshot} use cases (opened once, closed with the context), the ingest job runner (which
 * resumes interrupted jobs at start), multipart limits from {@code server.max-upload-bytes} with uploads spooled
 * inside the data directory, and the OpenAPI description.
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
        config.server().ingestWorkers(), config.server().queueLimit(), Clock.systemUTC());
    runner.recover();
    return runner;
  }

  @Bean
  MultipartConfigElement multipartConfigElement(LongshotConfig config) {
    Path incoming = UploadReceiver.incomingDir(config.data().uploadsDir());
    try {
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the upload spool directory " + incoming, e);
    }
    long max = config.server().maxUploadBytes();
    // threshold 0: every upload is streamed to disk, never held in memory
    return new MultipartConfigElement(incoming.toString(), max, max + (1 << 20), 0);
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
            + "details. When server.api-key is set, write endpoints need header X-Api-Key."));
  }
}
