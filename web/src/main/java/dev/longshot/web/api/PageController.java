package dev.longshot.web.api;

import dev.longshot.ingest.media.MediaFormats;
import dev.longshot.retrieval.QuestionAnswering;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web page ({@code page/index.html} on the classpath), with the limits the browser enforces before the server
 * does filled in from the constants the API checks: the upload picker's extensions ({@link
 * MediaFormats#VIDEO_EXTENSIONS}) and the question's {@code maxlength} ({@link
 * QuestionAnswering#MAX_QUESTION_CHARS}). Rendered once; a placeholder the page holds but this class does not fill
 * stops start-up. Thread-safe (immutable).
 */
@RestController
@Hidden
public class PageController {
  private final String page;

  public PageController() {
    this(read("page/index.html"));
  }

  PageController(String template) {
    Map<String, String> facts = Map.of(
        "videoExtensions", MediaFormats.sortedVideoExtensions().stream().map(e -> "." + e).collect(Collectors.joining(",")),
        "maxQuestionChars", String.valueOf(QuestionAnswering.MAX_QUESTION_CHARS));
    String out = template;
    for (Map.Entry<String, String> f : facts.entrySet()) {
      out = out.replace("{{" + f.getKey() + "}}", f.getValue());
    }
    int left = out.indexOf("{{");
    if (left >= 0) {
      throw new IllegalStateException("page/index.html has a placeholder without a value: "
          + out.substring(left, Math.min(out.length(), left + 40)));
    }
    this.page = out;
  }

  private static String read(String resource) {
    try (InputStream in = PageController.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping(path = {"/", "/index.html"}, produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> page() {
    return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.TEXT_HTML).body(page);
  }
}
