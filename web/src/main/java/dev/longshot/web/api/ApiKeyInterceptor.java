package dev.longshot.web.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * When {@code server.api-key} is set, write requests (POST, PUT, PATCH, DELETE) under {@code /api/} need header
 * {@value #HEADER} with that key; asking questions is a read and stays open. Compares in constant time.
 */
public final class ApiKeyInterceptor implements HandlerInterceptor {
  public static final String HEADER = "X-Api-Key";
  private final byte[] key;

  /** @param apiKey the key, or null to let every request through */
  public ApiKeyInterceptor(String apiKey) {
    this.key = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (key == null || !isWrite(request)) {
      return true;
    }
    String given = request.getHeader(HEADER);
    if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, given == null
          ? "This server needs an API key for changes: send it in header " + HEADER
          : "The API key in header " + HEADER + " is wrong");
    }
    return true;
  }

  private static boolean isWrite(HttpServletRequest request) {
    String method = request.getMethod();
    boolean write = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || method.equals("DELETE");
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return write && path.startsWith("/api/") && !path.startsWith("/api/ask");
  }
}
