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

/**
 * What the web tests over {@link FakeLongshotService} build the same way ({@link SliceTestBeans} for the controller
 * slices, {@code webtest.GuardedServerApp} for the guard on a real server): a config over a fresh temporary data
 * directory with one allowed root ({@code allowed/}) and no free-disk floor, and a real job runner sized by it.
 */
public final class TempLibrary {
  private TempLibrary() {}

  /** The config; {@code serverLines} are further YAML lines of the {@code server} section, each ending in a newline. */
  public static LongshotConfig config(String prefix, String serverLines) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Path allowed = Files.createDirectories(dir.resolve("allowed"));
    Path yaml = dir.resolve("longshot.yaml");
    Files.writeString(yaml, "data:\n  dir: " + dir.resolve("data") + "\nserver:\n  allowed-roots: [" + allowed + "]\n"
        + "  min-free-disk: 0\n" + serverLines.indent(2));
    return ConfigLoader.load(yaml, Map.of("HOME", dir.toString()));
  }

  /** A real job runner over {@code service}, with the config's workers, queue limit and job store. */
  public static IngestJobRunner jobRunner(FakeLongshotService service, LongshotConfig config) {
    return new IngestJobRunner(service, new JobStore(config.data().jobsDir()), config.server().ingestWorkers(),
        config.server().queueLimit(), Clock.systemUTC());
  }
}
