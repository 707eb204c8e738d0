package dev.longshot.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bytes that pass the upload checks: an ISO-BMFF {@code ftyp} box and a tag that makes each file distinct. */
public final class TestVideos {
  private TestVideos() {}

  public static byte[] mp4(String tag) {
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
    byte[] body = ("fake media payload " + tag).getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(ftyp, ftyp.length + body.length);
    System.arraycopy(body, 0, out, ftyp.length, body.length);
    return out;
  }
}
