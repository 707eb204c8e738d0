package dev.longshot.web.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What counts as a video file name and a video file: names without path parts, a known media extension, and
 * leading bytes that match a container signature. Cheap checks run before a job is queued, so a wrong file gets
 * its 4xx at once; the ingest pipeline still decodes the file and rejects what it cannot read.
 */
public final class VideoFiles {
  /** Extensions accepted for upload and walked by batch indexing. */
  public static final Set<String> EXTENSIONS = Set.of(
      "mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts", "flv", "ogv", "ogg", "wmv", "3gp");

  private static final Pattern SAFE_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}:*?\"<>|]{1,200}");
  private static final int HEAD = 512;

  private VideoFiles() {}

  /** Checks an uploaded file's name; returns it unchanged or throws a 400 naming it. */
  public static String requireSafeName(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("The upload has no file name; send it as multipart field \"file\" with a file name");
    }
    if (name.contains("..") || !SAFE_NAME.matcher(name).matches() || name.startsWith(".") || name.isBlank()) {
      throw ApiException.badRequest("File name \"" + printable(name) + "\" is not allowed: use a plain name without "
          + "path separators, \"..\", a leading dot or the characters : * ? \" < > |, at most 200 characters");
    }
    return name.strip();
  }

  /** The lower-case extension of {@code name}, or an empty string. */
  public static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Throws a 415 naming the file when its extension is not a known video extension. */
  public static void requireVideoExtension(String name) {
    String ext = extension(name);
    if (!EXTENSIONS.contains(ext)) {
      throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "\"" + printable(name)
          + "\" is not a video file (extension \"" + ext + "\"); accepted are " + String.join(", ", EXTENSIONS.stream().sorted().toList()));
    }
  }

  /** Throws a 415 naming the file when its first bytes match no known video container. */
  public static void requireVideoSignature(Path file, String displayName) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    }
    if (!looksLikeVideo(head)) {
      throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "\"" + printable(displayName)
          + "\" does not look like a video: its first bytes match no video container (MP4/MOV, Matroska/WebM, AVI, "
          + "MPEG-PS/TS, FLV, Ogg, ASF)");
    }
  }

  /** True when {@code head} starts like a video container this project can decode. */
  static boolean looksLikeVideo(byte[] head) {
    if (head.length < 12) {
      return false;
    }
    String ascii = new String(head, 0, Math.min(head.length, 12), StandardCharsets.ISO_8859_1);
    boolean isoBmff = ascii.startsWith("ftyp", 4);
    boolean matroska = (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf && (head[3] & 0xff) == 0xa3;
    boolean avi = ascii.startsWith("RIFF") && ascii.startsWith("AVI ", 8);
    boolean mpegPs = head[0] == 0 && head[1] == 0 && head[2] == 1 && ((head[3] & 0xff) == 0xba || (head[3] & 0xff) == 0xb3);
    boolean mpegTs = head[0] == 0x47 && (head.length < 189 || head[188] == 0x47);
    boolean flv = ascii.startsWith("FLV");
    boolean ogg = ascii.startsWith("OggS");
    boolean asf = Arrays.equals(Arrays.copyOf(head, 4), new byte[] {0x30, 0x26, (byte) 0xb2, 0x75});
    return isoBmff || matroska || avi || mpegPs || mpegTs || flv || ogg || asf;
  }

  /** {@code s} with control characters shown as '?', so an error message cannot carry them into logs or pages. */
  static String printable(String s) {
    return s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
