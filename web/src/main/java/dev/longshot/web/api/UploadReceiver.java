package dev.longshot.web.api;

import dev.longshot.timeline.Durable;
import dev.longshot.timeline.VideoId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.apache.tomcat.util.http.fileupload.FileItemIterator;
import org.apache.tomcat.util.http.fileupload.FileItemStream;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.UploadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Receives a multipart upload (field {@code file}) by streaming it to {@code uploads/.incoming/<uuid>.part}, then
 * stores it content-addressed as {@code uploads/<videoId>/<name>}: identical content is stored once (a second
 * upload of it reuses the stored file and reports {@link Stored#created()} false), and an existing file is never
 * replaced. The size limit ({@code server.max-upload-bytes}, 413) and the free-space floor ({@code
 * server.min-free-disk}, 507) are checked before the body is read (from {@code Content-Length}) and every
 * {@value #CHECK_EVERY_BYTES} bytes while it is written. Every failure deletes the part file, and only that.
 * Part files left by a crash are removed when the receiver is created (one process owns the data directory).
 * Thread-safe.
 */
public final class UploadReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(UploadReceiver.class);
  static final int CHECK_EVERY_BYTES = 4 << 20;
  public static final String FIELD = "file";

  /** A stored upload; {@code created} is false when identical content was already stored (and is reused). */
  public record Stored(Path path, boolean created) {}

  private final Path uploadsDir;
  private final long maxUploadBytes;
  private final long minFreeBytes;
  private final ToLongFunction<Path> freeSpace;

  public UploadReceiver(Path uploadsDir, long maxUploadBytes, long minFreeBytes) {
    this(uploadsDir, maxUploadBytes, minFreeBytes, usableSpace(Files::getFileStore));
  }

  /** @param freeSpace usable bytes on the file system of a path (a seam: tests simulate a full disk with it) */
  public UploadReceiver(Path uploadsDir, long maxUploadBytes, long minFreeBytes, ToLongFunction<Path> freeSpace) {
    this.uploadsDir = uploadsDir.toAbsolutePath().normalize();
    this.maxUploadBytes = maxUploadBytes;
    this.minFreeBytes = minFreeBytes;
    this.freeSpace = freeSpace;
    cleanIncoming();
  }

  /** Where bodies are spooled: inside the data directory, so the final move is a rename. */
  public static Path incomingDir(Path uploadsDir) {
    return uploadsDir.resolve(".incoming");
  }

  /** Streams the request's {@code file} part to disk, checks it and stores it; 4xx/507 as {@link ApiException}. */
  public Stored receive(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Send the video as multipart/form-data with field \"" + FIELD + "\" (got " + (type == null ? "no content type" : type) + ")");
    }
    long declared = request.getContentLengthLong();
    if (declared > maxUploadBytes + (1 << 20)) {
      throw tooLarge(declared);
    }
    requireFreeSpace(Math.max(declared, 0));
    Path incoming = incomingDir(uploadsDir).resolve(UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(incoming.getParent());
      FileItemIterator items = new FileUpload().getItemIterator(context(request));
      while (items.hasNext()) {
        FileItemStream item = items.next();
        if (item.isFormField() || !FIELD.equals(item.getFieldName())) {
          continue;
        }
        String name = VideoFiles.requireSafeName(item.getName());
        VideoFiles.requireVideoExtension(name);
        long size;
        try (InputStream in = item.openStream()) {
          size = spool(in, incoming, name);
        }
        if (size == 0) {
          throw ApiException.badRequest("\"" + name + "\" is empty (0 bytes); choose the video file itself");
        }
        VideoFiles.requireVideoSignature(incoming, name);
        return store(incoming, name);
      }
      throw ApiException.badRequest("No file in the request: send the video as multipart/form-data field \"" + FIELD + "\"");
    } catch (FileUploadException e) {
      throw ApiException.badRequest("The multipart body could not be read: " + e.getMessage());
    } catch (IOException e) {
      if (isDiskFull(e)) {
        throw new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "The server's disk is full; the upload was not stored");
      }
      LOG.warn("Upload failed while writing {}", incoming, e);
      throw new UncheckedIOException("Cannot store the upload: " + e.getMessage(), e);
    } finally {
      deleteQuietly(incoming);
    }
  }

  private long spool(InputStream in, Path part, String name) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    long nextCheck = CHECK_EVERY_BYTES;
    try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxUploadBytes) {
          throw tooLarge(name, total);
        }
        if (total >= nextCheck) {
          requireFreeSpace(0);
          nextCheck += CHECK_EVERY_BYTES;
        }
        out.write(buffer, 0, n);
      }
      out.flush();
      ch.force(true);
    }
    return total;
  }

  /** Moves the checked part file to its content address, or drops it when that content is already stored. */
  private Stored store(Path part, String name) throws IOException {
    String id = VideoId.of(part);
    Path dir = uploadsDir.resolve(id);
    Path target = dir.resolve(name).normalize();
    if (!target.getParent().equals(dir)) {
      throw ApiException.badRequest("File name \"" + name + "\" is not allowed");
    }
    Optional<Path> existing = storedFile(dir);
    if (existing.isPresent()) {
      return new Stored(existing.get(), false);
    }
    Files.createDirectories(dir);
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      return new Stored(target, false); // a concurrent upload of the same content won the race
    }
    Durable.fsync(dir);
    Durable.fsync(uploadsDir);
    return new Stored(target, true);
  }

  /** The file already stored for a content id, if any (one per directory). */
  private static Optional<Path> storedFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
      for (Path f : files) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private void requireFreeSpace(long needed) {
    long free = freeSpace.applyAsLong(uploadsDir);
    if (free - needed < minFreeBytes) {
      throw new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "Not enough free disk space for this upload: "
          + free / (1 << 20) + " MiB free, " + minFreeBytes / (1 << 20) + " MiB must stay free (server.min-free-disk)"
          + (needed > 0 ? " and the upload needs " + needed / (1 << 20) + " MiB" : ""));
    }
  }

  private ApiException tooLarge(long declared) {
    return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "The upload has " + declared + " bytes, more than the limit of "
        + maxUploadBytes + " bytes (server.max-upload-bytes); ingest large files by server path instead");
  }

  private ApiException tooLarge(String name, long atLeast) {
    return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "\"" + name + "\" has more than " + maxUploadBytes
        + " bytes, the limit (server.max-upload-bytes); ingest large files by server path instead");
  }

  private static boolean isDiskFull(IOException e) {
    return e.getMessage() != null && e.getMessage().contains("No space left on device");
  }

  private void cleanIncoming() {
    Path incoming = incomingDir(uploadsDir);
    if (!Files.isDirectory(incoming)) {
      return;
    }
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
      for (Path p : parts) {
        if (Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
          LOG.info("Removed the unfinished upload {} left by an earlier run", p.getFileName());
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not clean {}: {}", incoming, e.getMessage());
    }
  }

  /** How a path's {@link FileStore} is found: {@code Files::getFileStore}; a seam so a test can make it fail. */
  @FunctionalInterface
  interface FileStoreLookup {
    FileStore of(Path p) throws IOException;
  }

  /**
   * Usable bytes on the file system of a path, through {@code stores}. When no file store can be named ({@code
   * Files.getFileStore} reads the mount table and fails with "Mount point not found" where {@code /} is not a mount
   * point: a bare chroot, some containers) it asks the file system of the path itself ({@link File#getUsableSpace},
   * statvfs, no mount table), which reads 0, and so refuses, when even that cannot be read.
   */
  static ToLongFunction<Path> usableSpace(FileStoreLookup stores) {
    return p -> {
      try {
        Files.createDirectories(p);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create " + p + ": " + e.getMessage(), e);
      }
      try {
        return stores.of(p).getUsableSpace();
      } catch (IOException e) {
        return p.toFile().getUsableSpace();
      }
    };
  }

  private static UploadContext context(HttpServletRequest request) {
    return new UploadContext() {
      @Override
      public long contentLength() {
        return request.getContentLengthLong();
      }

      @Override
      public String getCharacterEncoding() {
        return request.getCharacterEncoding();
      }

      @Override
      public String getContentType() {
        return request.getContentType();
      }

      @Override
      public InputStream getInputStream() throws IOException {
        return request.getInputStream();
      }
    };
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the .incoming folder is scratch space, cleaned at the next start
    }
  }
}
