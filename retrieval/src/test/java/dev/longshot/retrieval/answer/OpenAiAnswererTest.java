package dev.longshot.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.config.AnswerBackend;
import dev.longshot.config.AnswerSettings;
import dev.longshot.timeline.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible backend against a local stub server ({@link StubChatServer}) that checks request shape. */
class OpenAiAnswererTest extends AnswererContract {
  @TempDir Path tmp;
  StubChatServer stub;
  byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

  @BeforeEach
  void start() throws IOException {
    stub = new StubChatServer();
    Files.write(tmp.resolve("000083000.jpg"), jpeg);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  AnswerSettings settings(String baseUrl, int retries, Duration timeout) {
    return new AnswerSettings(AnswerBackend.OPENAI, baseUrl, "qwen2-vl-7b", "secret-key", timeout, retries, 8);
  }

  @Override
  Answerer answerer() {
    return Answerers.create(settings(stub.baseUrl(), 2, Duration.ofSeconds(10)), this::keyframe);
  }

  private Optional<Path> keyframe(String videoId, String name) {
    Path p = tmp.resolve(name);
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  @Test
  void sendsKeyframesAndTheAuxiliaryTextsInVideoRagsLayout() {
    Answer a = answerer().answer("What is the budget?", EVIDENCE, t -> { });
    assertThat(a.text()).isEqualTo("The budget is 4.2 million euros (01:23).");
    JsonNode req = stub.requests.getFirst();
    assertThat(req.path("model").asText()).isEqualTo("qwen2-vl-7b");
    assertThat(req.path("stream").asBoolean()).isTrue();
    assertThat(stub.authorizations.getFirst()).isEqualTo("Bearer secret-key");
    JsonNode content = req.path("messages").path(1).path("content");
    assertThat(content.size()).as("one text part and the one keyframe that exists").isEqualTo(2);
    assertThat(content.path(0).path("text").asText()).isEqualTo(
        "The video has 1 selected frames, attached in this order: Frame 1 at 01:23.\n"
            + "Video Automatic Speech Recognition information (given in chronological order of the video): "
            + "[01:31] the total budget is four point two million euros\n"
            + "Video OCR information (given in chronological order of the video): [01:23] Total budget: 4.2 million euros\n"
            + "Answer the question using the video and the information above; cite times as mm:ss. If they do not "
            + "contain the answer, say so. Question: What is the budget?");
    String url = content.path(1).path("image_url").path("url").asText();
    assertThat(Base64.getDecoder().decode(url.substring("data:image/jpeg;base64,".length()))).isEqualTo(jpeg);
  }

  @Test
  void acceptsAPlainJsonReplyFromServersThatIgnoreStreaming() {
    stub.ignoreStream = true;
    StringBuilder streamed = new StringBuilder();
    Answer a = answerer().answer("What is the budget?", EVIDENCE, streamed::append);
    assertThat(a.text()).isEqualTo("The budget is 4.2 million euros (01:23).");
    assertThat(streamed.toString()).isEqualTo(a.text());
  }

  @Test
  void retriesServerErrorsThenSucceeds() {
    stub.script.add(new StubChatServer.Scripted(500, "{\"error\":\"loading model\"}", 0));
    stub.script.add(new StubChatServer.Scripted(503, "{\"error\":\"busy\"}", 0));
    assertThat(answerer().answer("q", EVIDENCE, t -> { }).text()).startsWith("The budget");
    assertThat(stub.requests).hasSize(1);
    assertThat(stub.script).isEmpty();
  }

  @Test
  void clientErrorsFailAtOnceWithTheServersMessage() {
    stub.script.add(new StubChatServer.Scripted(401, "{\"error\":\"bad key\"}", 0));
    assertThatThrownBy(() -> answerer().answer("q", EVIDENCE, t -> { }))
        .isInstanceOf(AnswerException.class).hasMessageContaining("HTTP 401").hasMessageContaining("bad key")
        .hasMessageContaining(stub.baseUrl() + "/chat/completions");
  }

  @Test
  void aServerThatIsDownGivesAClearError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port + "/v1";
    Answerer down = Answerers.create(settings(base, 1, Duration.ofSeconds(5)), this::keyframe);
    assertThatThrownBy(() -> down.answer("q", EVIDENCE, t -> { }))
        .isInstanceOf(AnswerException.class).hasMessageContaining(base).hasMessageContaining("ConnectException")
        .hasMessageContaining("after 2 attempts").hasMessageContaining("running");
  }

  @Test
  void aSlowServerTimesOut() {
    stub.script.add(new StubChatServer.Scripted(200, "{}", 3000));
    Answerer slow = Answerers.create(settings(stub.baseUrl(), 0, Duration.ofSeconds(1)), this::keyframe);
    assertThatThrownBy(() -> slow.answer("q", EVIDENCE, t -> { }))
        .isInstanceOf(AnswerException.class).hasMessageContaining("HttpTimeoutException");
  }

  @Test
  void theClientDoublesAsTheDecomposersTextCompletion() {
    String reply = new OpenAiChatClient(settings(stub.baseUrl(), 0, Duration.ofSeconds(5))).generate("Question: q");
    assertThat(reply).isEqualTo("The budget is 4.2 million euros (01:23).");
    assertThat(stub.requests.getFirst().path("stream").asBoolean()).isFalse();
  }
}
