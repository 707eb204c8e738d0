package dev.longshot.web.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.webtest.GuardedServerApp;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 12, point 1 and 2, against a real Tomcat on a random port with {@code server.api-key} set: no spelling of
 * a guarded path reaches a handler without the key, foreign {@code Host} names and cross-site writes are refused.
 * Requests go out byte for byte through {@link RawHttp}, so nothing normalises the path on the way.
 */
@SpringBootTest(classes = GuardedServerApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestGuardServerTest {
  private static final String VIDEO = "/videos/0123456789abcdef0123456789abcdef";
  private static final String PATH_BODY = "{\"path\":\"/nowhere/x.mp4\"}";

  @LocalServerPort int port;

  private RawHttp.Reply send(String method, String path, Map<String, String> headers, String body) throws IOException {
    return new RawHttp(port).send(method, path, headers, body);
  }

  @ParameterizedTest(name = "{0} {1} without the key is refused")
  @CsvSource({
      "POST, /api/ingest/path",
      "POST, /%61pi/ingest/path",
      "POST, /%2561pi/ingest/path",
      "POST, /api;x/ingest/path",
      "POST, /api/ingest;x/path",
      "POST, //api/ingest/path",
      "POST, /api//ingest/path",
      "POST, /./api/ingest/path",
      "POST, /api/./ingest/path",
      "POST, /x/../api/ingest/path",
      "POST, /API/ingest/path",
      "POST, /Api/Ingest/Path",
      "POST, /api/ingest/path/",
      "POST, /api/ingest/path;jsessionid=1",
      "DELETE, /api" + VIDEO,
      "DELETE, /api;x" + VIDEO,
      "DELETE, /%61%70%69" + VIDEO,
      "POST, /api" + VIDEO + "/reingest",
      "GET, /api/videos",
      "GET, /api/jobs",
      "GET, /%61pi/videos",
      "GET, /api" + VIDEO + "/media",
      "GET, /api/ask/stream?question=x",
      "POST, /api/ask",
      "GET, /actuator/metrics",
      "GET, /api%5Cvideos",
      "GET, /api\\videos",
      "GET, /api%2fvideos",
      "GET, /api%2Fvideos",
      "GET, /api/videos%00",
      "GET, /api%00/videos",
      "GET, /%2e/api/videos",
      "GET, /x/%2e%2e/api/videos",
      "GET, /x/%252e%252e/api/videos",
      "GET, /actuator/health/../metrics",
      "GET, /actuator/health;/../metrics",
      "GET, /actuator/health;x=../metrics",
      "GET, /actuator/health%2f..%2fmetrics",
      "PROPFIND, /api/videos",
      "post, /api/ingest/path",
      "PUT, /api/ingest/path",
      "PATCH, /api" + VIDEO,
  })
  void everySpellingOfAGuardedPathNeedsTheKey(String method, String path) throws IOException {
    RawHttp.Reply r = send(method, path, Map.of(), method.equals("POST") ? PATH_BODY : null);
    // 401 from the guard, or 400 when Tomcat itself refuses the spelling; never a handler's 403/404/202/200
    assertThat(r.status()).as(r.body()).isIn(400, 401);
  }

  @Test
  void theKeyOpensTheApiByHeaderOrCookieAndAWrongKeyDoesNot() throws IOException {
    assertThat(send("GET", "/api/videos", Map.of("X-Api-Key", GuardedServerApp.KEY), null).status()).isEqualTo(200);
    assertThat(send("GET", "/api/videos", Map.of("Cookie", RequestGuard.COOKIE + "=" + GuardedServerApp.KEY), null).status())
        .isEqualTo(200);
    RawHttp.Reply wrong = send("GET", "/api/videos", Map.of("X-Api-Key", GuardedServerApp.KEY + "x"), null);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("wrong");
    // the handler answers (403: outside server.allowed-roots), so the key really let the request through
    assertThat(send("POST", "/api/ingest/path", Map.of("X-Api-Key", GuardedServerApp.KEY), PATH_BODY).status()).isEqualTo(403);
  }

  @Test
  void aJsonBodyOverTheLimitIs413BeforeItIsParsed() throws IOException {
    // the old server parsed any JSON body whole (a 2 MB question, a million video ids) before checking it
    Map<String, String> key = Map.of("X-Api-Key", GuardedServerApp.KEY);
    String big = "{\"question\":\"" + "a".repeat(RequestGuard.MAX_JSON_BODY_BYTES) + "\"}";
    RawHttp.Reply r = send("POST", "/api/ask", key, big);
    assertThat(r.status()).as(r.body()).isEqualTo(413);
    assertThat(r.body()).contains(String.valueOf(RequestGuard.MAX_JSON_BODY_BYTES));
    String ids = "{\"path\":\"/x.mp4\",\"ignored\":[" + "1,".repeat(RequestGuard.MAX_JSON_BODY_BYTES) + "1]}";
    assertThat(send("POST", "/api/ingest/path", key, ids).status()).isEqualTo(413);
    // a body just under the limit still reaches the handler (403: outside server.allowed-roots)
    assertThat(send("POST", "/api/ingest/path", key, PATH_BODY).status()).isEqualTo(403);
  }

  @Test
  void aChunkedJsonBodyOverTheLimitIsCutOff() throws IOException {
    // no Content-Length to check up front: the body is counted as it is read
    String chunk = "a".repeat(8192);
    StringBuilder req = new StringBuilder("POST /api/ask HTTP/1.1\r\nHost: localhost:" + port + "\r\nX-Api-Key: "
        + GuardedServerApp.KEY + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n");
    String head = "{\"question\":\"";
    req.append(Integer.toHexString(head.length())).append("\r\n").append(head).append("\r\n");
    for (int i = 0; i < 2 * RequestGuard.MAX_JSON_BODY_BYTES / chunk.length(); i++) {
      req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    req.append("2\r\n\"}\r\n0\r\n\r\n");
    RawHttp.Reply r = new RawHttp(port).sendRaw(req.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(413);
  }

  @Test
  void thePageAndHealthStayOpen() throws IOException {
    assertThat(send("GET", "/", Map.of(), null).status()).isEqualTo(200);
    assertThat(send("GET", "/app.js", Map.of(), null).status()).isEqualTo(200);
    assertThat(send("GET", "/actuator/health", Map.of(), null).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "Host {0} is refused")
  @CsvSource({"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example"})
  void foreignHostNamesAreRefused(String host) throws IOException {
    RawHttp.Reply r = send("GET", "/api/videos", Map.of("Host", host, "X-Api-Key", GuardedServerApp.KEY), null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("server.allowed-hosts");
    assertThat(send("GET", "/", Map.of("Host", host), null).status()).isEqualTo(403);
  }

  @ParameterizedTest(name = "Host {0} is accepted")
  @CsvSource({"localhost", "127.0.0.1", "[::1]", "proxy.example", "PROXY.example:443"})
  void ownAndConfiguredHostNamesAreAccepted(String host) throws IOException {
    assertThat(send("GET", "/api/videos", Map.of("Host", host, "X-Api-Key", GuardedServerApp.KEY), null).status())
        .isEqualTo(200);
  }

  @Test
  void writesFromAnotherSiteAreRefusedEvenWithTheKey() throws IOException {
    Map<String, String> key = Map.of("X-Api-Key", GuardedServerApp.KEY);
    for (Map<String, String> foreign : java.util.List.of(Map.of("Origin", "http://evil.example"),
        Map.of("Origin", "http://localhost:" + (port + 1)), Map.of("Origin", "null"),
        Map.of("Referer", "http://evil.example/page.html"))) {
      Map<String, String> h = new java.util.HashMap<>(key);
      h.putAll(foreign);
      RawHttp.Reply r = send("POST", "/api/ingest/path", h, PATH_BODY);
      assertThat(r.status()).as(foreign.toString()).isEqualTo(403);
      assertThat(r.body()).contains("Cross-site");
      assertThat(send("DELETE", "/api" + VIDEO, h, null).status()).isEqualTo(403);
    }
    Map<String, String> own = new java.util.HashMap<>(key);
    own.put("Origin", "http://localhost:" + port);
    // same origin: reaches the handler (403 from AllowedRoots, with its own message)
    RawHttp.Reply r = send("POST", "/api/ingest/path", own, PATH_BODY);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).doesNotContain("Cross-site");
    // reads from another site are not writes: the browser's same-origin policy keeps their answers from the page
    Map<String, String> read = new java.util.HashMap<>(key);
    read.put("Origin", "http://evil.example");
    assertThat(send("GET", "/api/videos", read, null).status()).isEqualTo(200);
  }

  @Test
  void writesABrowserMarksCrossSiteAreRefusedWithoutOriginOrReferer() throws IOException {
    // a browser may leave out Origin and Referer (Referrer-Policy: no-referrer, some form posts), but it always says
    // where a request comes from in Sec-Fetch-Site; the old guard let such a write through when the key was a cookie
    for (String site : new String[] {"cross-site", "same-site", "CROSS-SITE"}) {
      Map<String, String> h = Map.of("Cookie", RequestGuard.COOKIE + "=" + GuardedServerApp.KEY, "Sec-Fetch-Site", site,
          "Content-Type", "application/json");
      RawHttp.Reply r = send("POST", "/api/ingest/path", h, PATH_BODY);
      assertThat(r.status()).as(site).isEqualTo(403);
      assertThat(r.body()).contains("Cross-site");
    }
    for (String site : new String[] {"same-origin", "none"}) {
      // the page itself, and a request the user made directly (address bar, bookmark, curl-like tools)
      RawHttp.Reply r = send("POST", "/api/ingest/path", Map.of("X-Api-Key", GuardedServerApp.KEY, "Sec-Fetch-Site",
          site), PATH_BODY);
      assertThat(r.body()).as(site).doesNotContain("Cross-site");
    }
    // reads stay open to the browser's same-origin policy
    assertThat(send("GET", "/api/videos", Map.of("X-Api-Key", GuardedServerApp.KEY, "Sec-Fetch-Site", "cross-site"),
        null).status()).isEqualTo(200);
  }

  @Test
  void deeplyNestedJsonAndHugeQueryStringsAreClientErrors() throws IOException {
    Map<String, String> key = Map.of("X-Api-Key", GuardedServerApp.KEY);
    String nested = "{\"question\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}";
    for (String path : new String[] {"/api/ask", "/api/ingest/path"}) {
      RawHttp.Reply r = send("POST", path, key, nested);
      assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(400);
    }
    RawHttp.Reply longQuery = send("GET", "/api/ask/stream?question=" + "a".repeat(200_000), key, null);
    assertThat(longQuery.status()).as(longQuery.body()).isIn(400, 414, 431);
    RawHttp.Reply manyParams = send("GET", "/api/videos?" + "a=1&".repeat(4_000), key, null);
    assertThat(manyParams.status()).as(manyParams.body()).isIn(200, 400, 414);
  }

  @ParameterizedTest(name = "GET {0} with the key is refused")
  @CsvSource({
      "/api/videos/..%2f..%2f..%2fetc%2fpasswd/media",
      "/api/videos/../../../etc/passwd",
      "/api/videos/%2e%2e/%2e%2e/etc/passwd/media",
      "/api/videos/0123456789abcdef0123456789abcdef/keyframes/..%2fmanifest.json",
      "/api/videos/0123456789abcdef0123456789abcdef/keyframes/..%5c..%5cmanifest.json",
      "/api/videos/0123456789abcdef0123456789abcdef/keyframes/%2e%2e",
      "/api/videos/0123456789abcdef0123456789abcdef/keyframes/x.jpg%00.json",
      "/api/videos/0123456789ABCDEF0123456789ABCDEF/media",
      "/api/videos/0123456789abcdef0123456789abcdef0/media",
      "/api/videos/%30123456789abcdef0123456789abcdef/media",
  })
  void traversalSpellingsInVideoIdsAndKeyframeNamesReachNoFile(String path) throws IOException {
    RawHttp.Reply r = send("GET", path, Map.of("X-Api-Key", GuardedServerApp.KEY), null);
    assertThat(r.status()).as(r.body()).isIn(400, 404);
    assertThat(r.body()).doesNotContain("root:");
  }
}
