package dev.longshot.timeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Videos are identified by content, not by path, so an index survives files being moved or renamed. The id is
 * the first 16 hex digits of SHA-256 over the file size and up to three 4 MiB samples (start, middle, end):
 * constant time for a 3-hour file, and any edit that changes length or those bytes changes the id.
 */
public final class VideoId {
  private static final int SAMPLE_BYTES = 4 << 20;
  private static final Pattern VALID = Pattern.compile("[0-9a-f]{16}");

  private VideoId() {}

  /** The content id of the file at {@code path}. */
  public static String of(Path path) throws IOException {
    MessageDigest sha = sha256();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      sha.update(ByteBuffer.allocate(8).putLong(size).flip());
      long[] offsets = size <= 3L * SAMPLE_BYTES ? new long[] {0} : new long[] {0, size / 2 - SAMPLE_BYTES / 2, size - SAMPLE_BYTES};
      ByteBuffer buf = ByteBuffer.allocate(size <= 3L * SAMPLE_BYTES ? (int) size : SAMPLE_BYTES);
      for (long off : offsets) {
        buf.clear();
        while (buf.hasRemaining()) {
          int n = ch.read(buf, off + buf.position());
          if (n < 0) {
            break;
          }
        }
        buf.flip();
        sha.update(buf);
      }
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  /** True if {@code id} has the shape of a video id (so it is safe to use as a directory name). */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** Returns {@code id} or throws a clear error when it is not a video id. */
  public static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("Not a video id: \"" + id + "\" (expected 16 hex digits)");
    }
    return id;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
