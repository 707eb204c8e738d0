package dev.longshot.web;

import dev.longshot.config.ConfigException;
import dev.longshot.config.ConfigLoader;
import dev.longshot.config.LongshotConfig;
import dev.longshot.web.guard.ListenAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Longshot web app: REST API, OpenAPI page ({@code /swagger-ui.html}), actuator and the page. Run by
 * {@code bin/longshot serve [--port N] [--config FILE]}. The {@link LongshotConfig} is loaded once here with
 * {@link ConfigLoader} and registered as a bean; Spring binds nothing of its own over it.
 */
@SpringBootApplication
public class LongshotWebApplication {
  public static void main(String[] args) {
    try {
      ConfigurableApplicationContext ctx = start(args);
      String port = ctx.getEnvironment().getProperty("local.server.port");
      System.out.println();
      System.out.println("Longshot is running: open http://localhost:" + port + "/  (API docs: http://localhost:"
          + port + "/swagger-ui.html; Ctrl-C stops it)");
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("longshot serve: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      // e.g. the data directory is held by another process: say so in one line after Spring's own report
      System.err.println("longshot serve: cannot start: " + root.getMessage());
      System.exit(1);
    }
  }

  /** Starts the app; {@code --port 0} picks a free port. The caller closes the returned context. */
  public static ConfigurableApplicationContext start(String... args) {
    ServerArgs parsed = ServerArgs.parse(args);
    LongshotConfig config = ConfigLoader.load(parsed.configFile(), System.getenv());
    ListenAddress.requireSafe(config.server());
    SpringApplication app = new SpringApplication(LongshotWebApplication.class);
    app.setDefaultProperties(Map.of("server.port", config.server().port(),
        "server.address", config.server().address(),
        "management.health.diskspace.path", config.data().dir().toString()));
    app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("longshotConfig", config));
    List<String> springArgs = new ArrayList<>(parsed.rest());
    if (config.server().apiKey() != null) {
      // health stays open for monitors; with a key set it no longer tells strangers the data directory
      springArgs.add("--management.endpoint.health.show-details=never");
    }
    if (parsed.port() != null) {
      springArgs.add("--server.port=" + parsed.port());
    }
    return app.run(springArgs.toArray(String[]::new));
  }
}
