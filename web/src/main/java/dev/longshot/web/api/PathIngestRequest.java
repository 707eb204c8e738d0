package dev.longshot.web.api;

/**
 * Ingest a file that is already on the server.
 *
 * @param path absolute path of a video inside one of {@code server.allowed-roots}
 */
public record PathIngestRequest(String path) {}
