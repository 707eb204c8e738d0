package dev.longshot.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The web application and batch jobs (section {@code server}).
 *
 * @param port HTTP port
 * @param maxUploadBytes largest accepted upload, in bytes
 * @param allowedRoots server-side directories from which videos may be ingested by path; empty means none
 * @param apiKey when set, write endpoints require header {@code X-Api-Key}; usually set through {@code
 *     LONGSHOT_SERVER_API_KEY}
 * @param ingestWorkers ingest jobs that run at the same time (web and {@code bin/longshot index})
 * @param queueLimit ingest jobs that may wait; more are refused with 429
 */
public record ServerSettings(
    int port, long maxUploadBytes, List<Path> allowedRoots, String apiKey, int ingestWorkers, int queueLimit) {
  public ServerSettings {
    Check.range("server.port", port, 0, 65_535);
    Check.range("server.max-upload-bytes", maxUploadBytes, 1L, 1L << 40);
    allowedRoots = allowedRoots == null ? List.of()
        : allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    Check.range("server.ingest-workers", ingestWorkers, 1, 64);
    Check.range("server.queue-limit", queueLimit, 0, 100_000);
    apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }
}
