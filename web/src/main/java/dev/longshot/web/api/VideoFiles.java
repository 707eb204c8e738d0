package dev.longshot.web.api;

import dev.longshot.ingest.media.MediaFormats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What counts as a video file name and a video file: names without path parts, a video extension, and
 * leading bytes that match a container signature (both lists live in {@link MediaFormats}). Cheap checks run before a job is queued, so a wrong file gets
 * its 4xx at once; the ingest pipeline still decodes the file and rejects what it cannot read.
 */
public final class VideoFiles {
  private static final Pattern SAFE_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}:*?\"<>|]{1,200}");

  private VideoFiles() {}

  /** Checks an uploaded file's name; returns it unchanged or throws a 400 naming it. */
  public static String requireSafeName(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("The upload has no file name; send it as multipart field \"file\" with a file name");
    }
    // judged as stored: stripped first, so " .hidden.mp4" cannot become a dot file
    String stored = name.strip();
    if (stored.contains("..") || !SAFE_NAME.matcher(stored).matches() || stored.startsWith(".") || stored.isBlank()) {
      throw ApiException.badRequest("File name \"" + printable(name) + "\" is not allowed: use a plain name without "
          + "path separators, \"..\", a leading dot or the characters : * ? \" < > |, at most 200 characters");
    }
    return stored;
  }

  /** Throws a 415 naming the file when its extension is not one of {@link MediaFormats#VIDEO_EXTENSIONS}. */
  public static void requireVideoExtension(String name) {
    if (!MediaFormats.isVideoName(name)) {
      throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "\"" + printable(name)
          + "\" is not a video file (extension \"" + MediaFormats.extension(name) + "\"); accepted are "
          + String.join(", ", MediaFormats.sortedVideoExtensions()));
    }
  }

  /** Throws a 415 naming the file when its first bytes match no known video container. */
  public static void requireVideoSignature(Path file, String displayName) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(MediaFormats.HEAD_BYTES);
    }
    if (!looksLikeVideo(head, displayName)) {
      throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "\"" + printable(displayName)
          + "\" does not look like a video: its first bytes match no video container (MP4/MOV, Matroska/WebM, AVI, "
          + "MPEG-PS/TS, FLV, Ogg, ASF)");
    }
  }

  /** True when {@code head} starts like a container that can hold video ({@link MediaFormats#sniff}). */
  static boolean looksLikeVideo(byte[] head, String fileName) {
    return MediaFormats.sniff(head, head.length, fileName).filter(MediaFormats.Container::canHoldVideo).isPresent();
  }

  /** {@code s} with control characters shown as '?', so an error message cannot carry them into logs or pages. */
  static String printable(String s) {
    return s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
