package dev.longshot.web.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends one HTTP/1.1 request exactly as written (no client normalises the path) and returns the status code and
 * body. For guard tests only.
 */
final class RawHttp {
  record Reply(int status, String body) {}

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  Reply send(String method, String rawPath, Map<String, String> headers, String body) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "localhost:" + port);
    h.putAll(headers);
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      h.putIfAbsent("Content-Type", "application/json");
    }
    h.put("Content-Length", String.valueOf(content.length));
    h.put("Connection", "close");
    StringBuilder req = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\n");
    h.forEach((k, v) -> {
      if (v != null) {
        req.append(k).append(": ").append(v).append("\r\n");
      }
    });
    req.append("\r\n");
    return exchange(req.toString().getBytes(StandardCharsets.ISO_8859_1), content);
  }

  /** Sends {@code request} (head and body, already framed) as is. */
  Reply sendRaw(String request) throws IOException {
    return exchange(request.getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
  }

  private Reply exchange(byte[] head, byte[] content) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(head);
        out.write(content);
        out.flush();
      } catch (java.net.SocketException e) {
        // the server may answer and close before the whole body is sent (413): read what it said
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int split = text.indexOf("\r\n\r\n");
      return new Reply(status, split < 0 ? "" : text.substring(split + 4));
    }
  }
}
