package dev.longshot.retrieval.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local OpenAI-compatible chat-completions stub for tests. It checks the request shape (POST to
 * /v1/chat/completions, JSON body with model, stream, a system message and a user message whose content is a text
 * part followed by image_url parts holding JPEG data URLs) and answers 400 naming the first violation. Replies are
 * scripted: queued failures first, then either server-sent events (when the request streams) or one JSON body.
 */
final class StubChatServer implements AutoCloseable {
  record Scripted(int status, String body, long delayMillis) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  final HttpServer server;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final Deque<Scripted> script = new ArrayDeque<>();
  volatile List<String> pieces = List.of("The budget is ", "4.2 million euros ", "(01:23).");
  volatile boolean ignoreStream;

  StubChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Scripted next;
      synchronized (script) {
        next = script.poll();
      }
      if (next != null) {
        sleep(next.delayMillis());
        send(ex, next.status(), "application/json", next.body());
        return;
      }
      JsonNode req;
      try {
        req = JSON.readTree(body);
      } catch (IOException e) {
        send(ex, 400, "application/json", "{\"error\":\"body is not JSON\"}");
        return;
      }
      requests.add(req);
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      String violation = violation(ex, req);
      if (violation != null) {
        send(ex, 400, "application/json", "{\"error\":\"" + violation + "\"}");
      } else if (req.path("stream").asBoolean() && !ignoreStream) {
        StringBuilder sse = new StringBuilder();
        for (String p : pieces) {
          sse.append("data: ").append(JSON.writeValueAsString(JSON.createObjectNode().set("choices",
              JSON.createArrayNode().add(JSON.createObjectNode().set("delta", JSON.createObjectNode().put("content", p)))))).append("\n\n");
        }
        sse.append("data: [DONE]\n\n");
        send(ex, 200, "text/event-stream", sse.toString());
      } else {
        String text = String.join("", pieces);
        send(ex, 200, "application/json", JSON.writeValueAsString(JSON.createObjectNode().set("choices",
            JSON.createArrayNode().add(JSON.createObjectNode().set("message",
                JSON.createObjectNode().put("role", "assistant").put("content", text))))));
      }
    }
  }

  private static String violation(HttpExchange ex, JsonNode req) {
    if (!ex.getRequestMethod().equals("POST")) {
      return "method must be POST";
    }
    if (!String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
      return "Content-Type must be application/json";
    }
    if (!req.path("model").isTextual() || !req.path("stream").isBoolean()) {
      return "model (string) and stream (boolean) are required";
    }
    JsonNode messages = req.path("messages");
    if (messages.size() != 2 || !messages.path(0).path("role").asText().equals("system")
        || !messages.path(0).path("content").isTextual() || !messages.path(1).path("role").asText().equals("user")) {
      return "messages must be [system, user]";
    }
    JsonNode content = messages.path(1).path("content");
    if (!content.isArray() || content.isEmpty() || !content.path(0).path("type").asText().equals("text")
        || !content.path(0).path("text").isTextual()) {
      return "user content must start with a text part";
    }
    for (int i = 1; i < content.size(); i++) {
      JsonNode part = content.path(i);
      if (!part.path("type").asText().equals("image_url")
          || !part.path("image_url").path("url").asText().startsWith("data:image/jpeg;base64,")) {
        return "part " + i + " must be an image_url with a JPEG data URL";
      }
    }
    return null;
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
