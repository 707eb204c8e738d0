package dev.longshot.web.api;

import dev.longshot.app.LongshotService;
import dev.longshot.retrieval.QuestionAnswering;
import dev.longshot.retrieval.answer.AnswerException;
import dev.longshot.timeline.Answer;
import dev.longshot.timeline.VideoManifest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Questions over the library: a plain JSON answer, and a Server-Sent Events stream that sends the evidence
 * first ({@code evidence}), then the answer text as it is produced ({@code token}, data {@code {"text": ...}}),
 * then the whole answer ({@code answer}), or an {@code error} event with a problem detail. Streams run on a
 * small pool of their own.
 */
@RestController
@RequestMapping("/api/ask")
@Tag(name = "Ask", description = "Questions answered with timestamped evidence")
public class AskController implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(AskController.class);
  private static final Pattern MARKUP = Pattern.compile("<[A-Za-z!/?]");
  private static final long STREAM_TIMEOUT_MILLIS = 300_000;

  private final LongshotService service;
  private final ExecutorService streams = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64));

  public AskController(LongshotService service) {
    this.service = service;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Answer a question, optionally only from some videos",
      description = "400 for an empty, too long or HTML-bearing question or a malformed id; 404 for an unknown video id.")
  public AnswerDto ask(@RequestBody AskRequest request) {
    String question = requireQuestion(request == null ? null : request.question());
    Set<String> ids = requireVideos(request.videoIds());
    long start = System.nanoTime();
    Answer answer = service.ask(question, ids);
    return toDto(question, answer, fileNames(), start);
  }

  @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(summary = "Answer a question as Server-Sent Events: evidence, token..., answer (or error)")
  public SseEmitter stream(@RequestParam(required = false) String question,
      @RequestParam(name = "videoId", required = false) List<String> videoIds) {
    String q = requireQuestion(question);
    Set<String> ids = requireVideos(videoIds);
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
    try {
      streams.execute(() -> runStream(emitter, q, ids));
    } catch (RejectedExecutionException e) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many questions are being answered right now; try again in a moment");
    }
    return emitter;
  }

  private void runStream(SseEmitter emitter, String question, Set<String> ids) {
    long start = System.nanoTime();
    Map<String, String> names = fileNames();
    try {
      Answer answer = service.ask(question, ids,
          evidence -> send(emitter, "evidence", evidence.stream().map(e -> EvidenceDto.of(e, names.get(e.videoId()))).toList()),
          token -> send(emitter, "token", new Token(token)));
      send(emitter, "answer", toDto(question, answer, names, start));
      emitter.complete();
    } catch (RuntimeException e) {
      ProblemDetail problem;
      if (e instanceof AnswerException down) {
        problem = ProblemDetailsAdvice.answerBackendFailed(down);
      } else {
        LOG.warn("Streaming answer failed", e);
        problem = ProblemDetailsAdvice.problem(HttpStatus.INTERNAL_SERVER_ERROR,
            "Answering failed (" + e.getClass().getSimpleName() + "); the server log has the details");
      }
      try {
        emitter.send(SseEmitter.event().name("error").data(problem, MediaType.APPLICATION_JSON));
        emitter.complete();
      } catch (IOException | IllegalStateException ignored) {
        emitter.completeWithError(e);
      }
    }
  }

  /** One piece of answer text in the stream; an object, so that it travels as JSON whatever characters it has. */
  record Token(String text) {}

  private static void send(SseEmitter emitter, String event, Object data) {
    try {
      emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("The client went away", e);
    }
  }

  private Map<String, String> fileNames() {
    return service.videos().stream().collect(Collectors.toMap(VideoManifest::videoId,
        m -> m.fileName() == null ? m.videoId() : m.fileName(), (a, b) -> a));
  }

  private static AnswerDto toDto(String question, Answer answer, Map<String, String> names, long startNanos) {
    List<EvidenceDto> evidence = answer.evidence().stream().map(e -> EvidenceDto.of(e, names.get(e.videoId()))).toList();
    return new AnswerDto(question, answer.text(), answer.backend(), evidence, (System.nanoTime() - startNanos) / 1_000_000);
  }

  static String requireQuestion(String question) {
    if (question == null || question.isBlank()) {
      throw ApiException.badRequest("The question is empty; type what you want to know about the videos");
    }
    String q = question.strip();
    if (q.length() > QuestionAnswering.MAX_QUESTION_CHARS) {
      throw ApiException.badRequest("The question has " + q.length() + " characters; the limit is " + QuestionAnswering.MAX_QUESTION_CHARS);
    }
    if (MARKUP.matcher(q).find() || q.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
      throw ApiException.badRequest("Questions are plain text: remove the HTML markup or control characters and ask again");
    }
    return q;
  }

  private Set<String> requireVideos(List<String> videoIds) {
    if (videoIds == null) {
      return Set.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String id : videoIds) {
      if (id == null || id.isBlank()) {
        continue;
      }
      VideoController.requireId(id);
      if (service.video(id).isEmpty()) {
        throw ApiException.notFound("No video with id " + id + "; GET /api/videos lists them");
      }
      ids.add(id);
    }
    return ids;
  }

  @Override
  public void destroy() {
    streams.shutdownNow();
  }
}
