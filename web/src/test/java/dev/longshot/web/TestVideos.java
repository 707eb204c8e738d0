package dev.longshot.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bytes that pass the upload checks: an ISO-BMFF {@code ftyp} box and a tag that makes each file distinct. */
public final class TestVideos {
  private TestVideos() {}

  public static final String BOUNDARY = "----longshot-test-boundary";
  public static final String MULTIPART_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  /** A multipart/form-data body with one file part {@code field} named {@code fileName} (or a text part when null). */
  public static byte[] multipart(String field, String fileName, byte[] content) {
    String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\""
        + (fileName == null ? "" : "; filename=\"" + fileName + "\"\r\nContent-Type: video/mp4") + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + content.length + t.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(content, 0, out, h.length, content.length);
    System.arraycopy(t, 0, out, h.length + content.length, t.length);
    return out;
  }

  public static byte[] mp4(String tag) {
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
    byte[] body = ("fake media payload " + tag).getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(ftyp, ftyp.length + body.length);
    System.arraycopy(body, 0, out, ftyp.length, body.length);
    return out;
  }
}
