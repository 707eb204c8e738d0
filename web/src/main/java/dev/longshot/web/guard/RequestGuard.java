package dev.longshot.web.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The server's front door, run before Spring routes anything. In order:
 *
 * <ol>
 *   <li><b>Host</b>: a request whose {@code Host} header is not one of {@link HostNames} gets 403 (DNS
 *       rebinding: another site's name pointing at this machine).
 *   <li><b>Cross-site writes</b>: a POST/PUT/PATCH/DELETE that the browser marks {@code Sec-Fetch-Site:
 *       cross-site} or {@code same-site}, or whose {@code Origin} (or, without one, {@code Referer}) is another site
 *       than the {@code Host} it was sent to, gets 403 (CSRF). Clients that send none of these headers (curl,
 *       scripts) pass, and so do the page's own requests ({@code same-origin}) and ones the user typed ({@code none}).
 *   <li><b>API key</b>: when {@code server.api-key} is set, every request under {@code /api} and {@code
 *       /actuator} (except {@code GET /actuator/health}) needs the key in header {@value #HEADER} or cookie
 *       {@value #COOKIE} (which the page sets so that {@code <video>} and {@code <img>} can load); compared in
 *       constant time. Otherwise 401.
 *   <li><b>Body size</b>: a request body that is not a multipart upload (the JSON of {@code /api/ask} and {@code
 *       /api/ingest/path}) may have at most {@link #MAX_JSON_BODY_BYTES}: a larger {@code Content-Length} gets 413
 *       before anything is read, and a chunked body is cut off when it passes the limit ({@link BoundedBody}, 413
 *       from the error advice), so no parser holds more. Uploads are multipart and streamed to disk under {@code
 *       server.max-upload-bytes} by {@code UploadReceiver}.
 * </ol>
 *
 * Paths are judged on their {@link CanonicalPath}, so no other spelling of a guarded route gets past. Thread-safe.
 */
public final class RequestGuard extends OncePerRequestFilter {
  public static final String HEADER = "X-Api-Key";
  public static final String COOKIE = "longshot-api-key";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  /** Sec-Fetch-Site values of a request another site's page started. */
  private static final Set<String> FOREIGN_FETCH_SITES = Set.of("cross-site", "same-site");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The largest non-upload request body: a question has at most a few thousand characters, a path a few hundred. */
  public static final int MAX_JSON_BODY_BYTES = 64 * 1024;

  private final byte[] key;
  private final HostNames hosts;

  /** @param apiKey the key, or null when the API is open (then only Host and cross-site checks apply) */
  public RequestGuard(String apiKey, HostNames hosts) {
    this.key = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    this.hosts = hosts;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getHeader("Host");
    if (!hosts.accepts(host)) {
      refuse(response, HttpStatus.FORBIDDEN, "Host \"" + host + "\" is not a name of this server; if you reach it "
          + "through another name (a reverse proxy), add that name to server.allowed-hosts");
      return;
    }
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (!SAFE_METHODS.contains(method) && isCrossSite(request, host)) {
      refuse(response, HttpStatus.FORBIDDEN, "Cross-site request refused: this change was sent by a page of another "
          + "site; use Longshot's own page or a client without an Origin header");
      return;
    }
    String raw = request.getRequestURI().substring(request.getContextPath().length());
    String path = CanonicalPath.of(raw);
    if (path == null) {
      refuse(response, HttpStatus.BAD_REQUEST, "The request path has a malformed percent-escape");
      return;
    }
    if (key != null && needsKey(method, path)) {
      String given = givenKey(request);
      if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
        refuse(response, HttpStatus.UNAUTHORIZED, given == null
            ? "This server needs an API key: send it in header " + HEADER + " (the page has a field for it)"
            : "The API key in header " + HEADER + " is wrong");
        return;
      }
    }
    HttpServletRequest bounded = request;
    if (!isMultipart(request)) {
      long declared = request.getContentLengthLong();
      if (declared > MAX_JSON_BODY_BYTES) {
        refuse(response, HttpStatus.PAYLOAD_TOO_LARGE, "The request body has " + declared + " bytes; JSON requests "
            + "may have at most " + MAX_JSON_BODY_BYTES + " (videos are uploaded as multipart/form-data)");
        return;
      }
      bounded = new BoundedBody(request, MAX_JSON_BODY_BYTES);
    }
    chain.doFilter(bounded, response);
  }

  private static boolean isMultipart(HttpServletRequest request) {
    String type = request.getContentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /**
   * The message of a body cut off at {@link #MAX_JSON_BODY_BYTES} when {@code e} or one of its causes is one, else
   * empty.
   */
  public static Optional<String> bodyTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BoundedBody.TooLarge tooLarge) {
        return Optional.of(tooLarge.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Guarded: everything under {@code /api} and {@code /actuator}, except reading {@code /actuator/health}. */
  static boolean needsKey(String method, String canonicalPath) {
    if (CanonicalPath.isUnder(canonicalPath, "/actuator")) {
      return !(canonicalPath.equals("/actuator/health") && (method.equals("GET") || method.equals("HEAD")));
    }
    return CanonicalPath.isUnder(canonicalPath, "/api");
  }

  private static String givenKey(HttpServletRequest request) {
    String header = request.getHeader(HEADER);
    if (header != null) {
      return header;
    }
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (c.getName().equals(COOKIE)) {
          return java.net.URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  /**
   * True when the browser marks the request as coming from another site ({@code Sec-Fetch-Site: cross-site} or
   * {@code same-site}: another port or subdomain), or it names an origin (Origin, else Referer) whose host and port
   * differ from {@code host}. Sec-Fetch-Site is checked first because a browser sends it even where it leaves out
   * Origin and Referer ({@code Referrer-Policy: no-referrer}).
   */
  static boolean isCrossSite(HttpServletRequest request, String host) {
    String fetchSite = request.getHeader("Sec-Fetch-Site");
    if (fetchSite != null && FOREIGN_FETCH_SITES.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
      return true;
    }
    String origin = request.getHeader("Origin");
    String source = origin != null ? origin : request.getHeader("Referer");
    if (source == null) {
      return false;
    }
    try {
      URI uri = new URI(source.trim());
      if (uri.getHost() == null) {
        return true; // "null" origins (sandboxed frames, file: pages) and anything unparseable are foreign
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      String name = uri.getHost().toLowerCase(Locale.ROOT);
      if (name.startsWith("[") && name.endsWith("]")) {
        name = name.substring(1, name.length() - 1);
      }
      String authority = name + ":" + port;
      return !authority.equals(withPort(host, request.isSecure() ? 443 : 80));
    } catch (URISyntaxException e) {
      return true;
    }
  }

  private static String withPort(String host, int defaultPort) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    int close = h.lastIndexOf(']');
    int colon = h.lastIndexOf(':');
    boolean hasPort = colon > close && (h.startsWith("[") || h.indexOf(':') == colon);
    String name = hasPort ? h.substring(0, colon) : h;
    String port = hasPort ? h.substring(colon + 1) : String.valueOf(defaultPort);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return name + ":" + port;
  }

  private static void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
