package dev.longshot.retrieval.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.capabilities.TextCompletion;
import dev.longshot.config.AnswerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A client for {@code POST {base-url}/chat/completions} of any OpenAI-compatible server (vLLM, llama.cpp server,
 * Ollama). Streams with server-sent events when a token sink is given and accepts a plain JSON reply from servers
 * that ignore {@code stream}. Connection errors, timeouts and 5xx replies are retried {@code answer.retries} times
 * with exponential backoff, but never after tokens have been streamed; 4xx replies fail at once. Every failure is
 * an {@link AnswerException} naming the URL. Thread-safe.
 */
public final class OpenAiChatClient implements TextCompletion {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BACKOFF_MILLIS = 250;
  private final AnswerSettings settings;
  private final URI endpoint;
  private final HttpClient http;

  public OpenAiChatClient(AnswerSettings settings) {
    this.settings = settings;
    String base = settings.baseUrl() == null ? "" : settings.baseUrl().strip();
    try {
      this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
      if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid setting answer.base-url = \"" + base + "\": " + e.getMessage(), e);
    }
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  /** The chat-completions URL requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String generate(String prompt) {
    return complete(prompt, List.of(), null);
  }

  /**
   * Sends a system message and one user message made of {@code text} and {@code images} (JPEG data URLs).
   *
   * @param tokenSink receives streamed pieces; null asks for one non-streamed reply
   * @return the whole reply text
   */
  public String complete(String text, List<Path> images, Consumer<String> tokenSink) {
    byte[] body = requestBody(text, images, tokenSink != null);
    AnswerException last = null;
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      StreamState state = new StreamState(tokenSink);
      try {
        return send(body, state);
      } catch (RetryableException e) {
        last = new AnswerException(e.getMessage(), e.getCause());
        if (state.emitted) {
          break;
        }
      }
    }
    throw new AnswerException(last.getMessage() + " (after " + (settings.retries() + 1) + " attempts; check that "
        + "the server at answer.base-url is running)", last.getCause());
  }

  byte[] requestBody(String text, List<Path> images, boolean stream) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", settings.model());
    root.put("stream", stream);
    root.put("temperature", 0);
    ArrayNode messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", VideoRagPrompt.SYSTEM);
    ObjectNode user = messages.addObject().put("role", "user");
    ArrayNode content = user.putArray("content");
    content.addObject().put("type", "text").put("text", text);
    for (Path image : images) {
      try {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(image));
        content.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/jpeg;base64," + data);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read keyframe " + image + ": " + e.getMessage(), e);
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String send(byte[] body, StreamState state) {
    HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(settings.timeout())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
      req.header("Authorization", "Bearer " + settings.apiKey().strip());
    }
    try {
      HttpResponse<Stream<String>> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = resp.body()) {
        int status = resp.statusCode();
        if (status >= 500) {
          throw new RetryableException(where() + " answered HTTP " + status + ": " + excerpt(lines), null);
        }
        if (status >= 300) {
          throw new AnswerException(where() + " answered HTTP " + status + ": " + excerpt(lines)
              + " (check answer.model and answer.api-key)", null);
        }
        boolean sse = resp.headers().firstValue("Content-Type").orElse("").contains("event-stream");
        return sse ? readEvents(lines.iterator(), state) : readJson(String.join("\n", lines.toList()), state);
      }
    } catch (IOException e) {
      throw new RetryableException(where() + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnswerException(where() + " interrupted", e);
    }
  }

  private String readEvents(Iterator<String> lines, StreamState state) throws IOException {
    StringBuilder out = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next().strip();
      if (!line.startsWith("data:")) {
        continue;
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        break;
      }
      JsonNode delta = JSON.readTree(data).path("choices").path(0).path("delta").path("content");
      if (delta.isTextual() && !delta.asText().isEmpty()) {
        out.append(delta.asText());
        state.emit(delta.asText());
      }
    }
    return out.toString();
  }

  private String readJson(String body, StreamState state) {
    try {
      JsonNode content = JSON.readTree(body).path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        throw new AnswerException(where() + " sent a reply without choices[0].message.content: " + excerpt(Stream.of(body)), null);
      }
      state.emit(content.asText());
      return content.asText();
    } catch (IOException e) {
      throw new AnswerException(where() + " sent a reply that is not JSON: " + excerpt(Stream.of(body)), e);
    }
  }

  private String where() {
    return "answer.backend=openai: " + endpoint;
  }

  private static String excerpt(Stream<String> lines) {
    String s = String.join(" ", lines.limit(20).toList()).strip();
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(BACKOFF_MILLIS << Math.min(attempt - 1, 5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AnswerException("Interrupted while retrying the answer server", e);
    }
  }

  /** Tracks whether tokens reached the sink (then a retry would duplicate them). */
  private static final class StreamState {
    private final Consumer<String> sink;
    private boolean emitted;

    StreamState(Consumer<String> sink) {
      this.sink = sink;
    }

    void emit(String piece) {
      if (sink != null) {
        sink.accept(piece);
        emitted = true;
      }
    }
  }

  private static final class RetryableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
