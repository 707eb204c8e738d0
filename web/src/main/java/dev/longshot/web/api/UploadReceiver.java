package dev.longshot.web.api;

import dev.longshot.timeline.VideoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.multipart.MultipartFile;

/**
 * Checks an upload and stores it as {@code <uploads>/<videoId>/<file name>}. The servlet container has already
 * streamed the body to a temporary file inside the data directory ({@code uploads/.incoming}); here it is moved,
 * never read into memory. A file that fails a check is deleted, so nothing but accepted videos stays behind.
 */
public final class UploadReceiver {
  private final Path uploadsDir;
  private final long maxUploadBytes;

  public UploadReceiver(Path uploadsDir, long maxUploadBytes) {
    this.uploadsDir = uploadsDir.toAbsolutePath().normalize();
    this.maxUploadBytes = maxUploadBytes;
  }

  /** Where the servlet container spools multipart bodies: inside the data directory. */
  public static Path incomingDir(Path uploadsDir) {
    return uploadsDir.resolve(".incoming");
  }

  /** Validates and stores {@code file}; returns the stored path. Throws {@link ApiException} with a 4xx on bad input. */
  public Path receive(MultipartFile file) {
    if (file == null) {
      throw ApiException.badRequest("No file in the request: send the video as multipart/form-data field \"file\"");
    }
    String name = VideoFiles.requireSafeName(file.getOriginalFilename());
    VideoFiles.requireVideoExtension(name);
    if (file.isEmpty()) {
      throw ApiException.badRequest("\"" + name + "\" is empty (0 bytes); choose the video file itself");
    }
    if (file.getSize() > maxUploadBytes) {
      throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "\"" + name + "\" has " + file.getSize()
          + " bytes, more than the limit of " + maxUploadBytes + " bytes (server.max-upload-bytes)");
    }
    Path incoming = incomingDir(uploadsDir).resolve(UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(incoming.getParent());
      file.transferTo(incoming);
      VideoFiles.requireVideoSignature(incoming, name);
      Path dir = uploadsDir.resolve(VideoId.of(incoming));
      Path target = dir.resolve(name).normalize();
      if (!target.getParent().equals(dir)) {
        throw ApiException.badRequest("File name \"" + name + "\" is not allowed");
      }
      Files.createDirectories(dir);
      Files.move(incoming, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store upload " + name + " under " + uploadsDir + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(incoming);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the .incoming folder is only scratch space; a leftover part file is harmless
    }
  }
}
