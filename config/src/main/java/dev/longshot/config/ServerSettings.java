package dev.longshot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The web application and batch jobs (section {@code server}).
 *
 * @param port HTTP port
 * @param maxUploadBytes largest accepted upload, in bytes
 * @param allowedRoots server-side directories from which videos may be ingested by path; empty means none
 * @param apiKey when set, every {@code /api} request needs it (header {@code X-Api-Key} or the page's cookie);
 *     usually set through {@code LONGSHOT_SERVER_API_KEY}
 * @param ingestWorkers ingest jobs that run at the same time (web and {@code bin/longshot index})
 * @param queueLimit ingest jobs that may wait; more are refused with 429
 * @param address the interface the server listens on; a non-loopback address needs {@code apiKey}
 * @param allowedHosts extra names the server answers to in the {@code Host} header (lower case), besides
 *     loopback names and the machine's own names and addresses; guards against DNS rebinding
 * @param minFreeDisk bytes that must stay free in the data directory; an upload that would go below is refused
 *     with 507
 * @param jobTimeout the time limit of one ingest job, or null to derive it from the video's duration
 */
public record ServerSettings(
    int port, long maxUploadBytes, List<Path> allowedRoots, String apiKey, int ingestWorkers, int queueLimit,
    String address, List<String> allowedHosts, long minFreeDisk, Duration jobTimeout) {
  /** Highest TCP port ({@code server.port}, {@code serve --port}); 0 picks a free one. */
  public static final int MAX_PORT = 65_535;

  public ServerSettings {
    Check.range("server.port", port, 0, MAX_PORT);
    Check.range("server.max-upload-bytes", maxUploadBytes, 1L, 1L << 40);
    allowedRoots = allowedRoots == null ? List.of()
        : allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    Check.range("server.ingest-workers", ingestWorkers, 1, 64);
    Check.range("server.queue-limit", queueLimit, 0, 100_000);
    apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    address = Check.notBlank("server.address", address);
    allowedHosts = allowedHosts == null ? List.of()
        : allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    Check.range("server.min-free-disk", minFreeDisk, 0L, 1L << 50);
    if (jobTimeout != null && (jobTimeout.isNegative() || jobTimeout.isZero())) {
      throw new ConfigException("server.job-timeout", jobTimeout, "allowed is a positive duration such as 2h, or null");
    }
  }
}
