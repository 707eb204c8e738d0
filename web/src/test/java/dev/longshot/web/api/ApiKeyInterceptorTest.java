package dev.longshot.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The key check itself; the end-to-end test also sends writes with and without the key to the running app. */
class ApiKeyInterceptorTest {
  private final ApiKeyInterceptor guard = new ApiKeyInterceptor("s3cret");

  private static MockHttpServletRequest request(String method, String path, String key) {
    MockHttpServletRequest r = new MockHttpServletRequest(method, path);
    if (key != null) {
      r.addHeader(ApiKeyInterceptor.HEADER, key);
    }
    return r;
  }

  @Test
  void writesNeedTheKeyReadsAndQuestionsDoNot() {
    MockHttpServletResponse res = new MockHttpServletResponse();
    assertThat(guard.preHandle(request("GET", "/api/videos", null), res, null)).isTrue();
    assertThat(guard.preHandle(request("POST", "/api/ask", null), res, null)).isTrue();
    assertThat(guard.preHandle(request("DELETE", "/api/videos/0123456789abcdef", "s3cret"), res, null)).isTrue();
    assertThatThrownBy(() -> guard.preHandle(request("POST", "/api/ingest", null), res, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.UNAUTHORIZED))
        .hasMessageContaining("X-Api-Key");
    assertThatThrownBy(() -> guard.preHandle(request("DELETE", "/api/videos/0123456789abcdef", "wrong"), res, null))
        .hasMessageContaining("wrong");
  }

  @Test
  void withoutAConfiguredKeyEverythingPasses() {
    assertThat(new ApiKeyInterceptor(null).preHandle(request("POST", "/api/ingest", null), new MockHttpServletResponse(), null)).isTrue();
  }
}
