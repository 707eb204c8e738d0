package dev.longshot.web.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Server-side folders from which videos may be ingested by path ({@code server.allowed-roots}). A path is
 * accepted only when both its normalised form and its real path (symbolic links resolved) lie inside a root, so
 * {@code ..} and links cannot reach outside. Immutable and thread-safe.
 */
public final class AllowedRoots {
  private final List<Path> roots;

  public AllowedRoots(List<Path> roots) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** The video file named by {@code raw}, or an {@link ApiException} (400, 403, 404, 415) naming the path. */
  public Path resolve(String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("Give the server-side path of a video in field \"path\"");
    }
    if (roots.isEmpty()) {
      throw new ApiException(HttpStatus.FORBIDDEN, "Ingest by server path is turned off: no folders are listed in "
          + "server.allowed-roots; upload the file instead, or ask the operator to add its folder");
    }
    Path path;
    try {
      path = Path.of(raw);
    } catch (InvalidPathException e) {
      throw ApiException.badRequest("\"" + VideoFiles.printable(raw) + "\" is not a valid path: " + e.getReason());
    }
    if (!path.isAbsolute()) {
      throw ApiException.badRequest("\"" + VideoFiles.printable(raw) + "\" is relative; give an absolute path inside " + roots);
    }
    Path normal = path.normalize();
    if (!inside(normal, roots)) {
      throw outside(raw);
    }
    if (!Files.exists(normal)) {
      throw ApiException.notFound("No file at " + normal + "; check the path");
    }
    Path real;
    try {
      real = normal.toRealPath();
    } catch (IOException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "Cannot read " + normal + ": " + e.getMessage());
    }
    if (!inside(real, realRoots())) {
      throw outside(raw);
    }
    if (!Files.isRegularFile(real)) {
      throw ApiException.badRequest(normal + " is not a file; give one video file (bin/longshot index DIR ingests folders)");
    }
    VideoFiles.requireVideoExtension(real.getFileName().toString());
    return real;
  }

  private ApiException outside(String raw) {
    return new ApiException(HttpStatus.FORBIDDEN, "\"" + VideoFiles.printable(raw) + "\" is outside the allowed folders "
        + roots + " (server.allowed-roots)");
  }

  private List<Path> realRoots() {
    List<Path> out = new ArrayList<>();
    for (Path r : roots) {
      try {
        out.add(r.toRealPath());
      } catch (IOException e) {
        // a configured root that does not exist cannot contain anything
      }
    }
    return out;
  }

  private static boolean inside(Path p, List<Path> roots) {
    return roots.stream().anyMatch(r -> p.startsWith(r) && !p.equals(r));
  }
}
