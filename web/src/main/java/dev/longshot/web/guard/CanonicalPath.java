package dev.longshot.web.guard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The one spelling of a request path that access decisions are made on: {@code ;} parameters dropped from each
 * segment, percent-escapes decoded, empty and {@code .} segments removed, {@code ..} applied, lower case, no
 * trailing slash. Every spelling Spring or the servlet container might route to {@code /api/ingest} ({@code
 * /%61pi/ingest}, {@code /api;x/ingest}, {@code //api/ingest}, {@code /./api/ingest}, {@code /API/ingest/})
 * comes out as {@code /api/ingest}, so a guard on the canonical path is at least as wide as any route.
 */
public final class CanonicalPath {
  private CanonicalPath() {}

  /**
   * @param rawPath the request URI's path as sent (still percent-encoded), without the context path
   * @return the canonical path, or null when the path cannot be decoded (a bad escape): callers refuse it
   */
  public static String of(String rawPath) {
    Deque<String> segments = new ArrayDeque<>();
    for (String raw : rawPath.split("/", -1)) {
      int semi = raw.indexOf(';');
      String s = decode(semi >= 0 ? raw.substring(0, semi) : raw);
      if (s == null) {
        return null;
      }
      // a decoded %2F becomes a separator too, like any router that decodes before splitting would see it
      for (String part : s.split("/", -1)) {
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          segments.pollLast();
        } else {
          segments.addLast(part.toLowerCase(Locale.ROOT));
        }
      }
    }
    return "/" + String.join("/", segments);
  }

  /** True when {@code canonical} is {@code prefix} or lies below it ({@code prefix} canonical, e.g. {@code /api}). */
  public static boolean isUnder(String canonical, String prefix) {
    return canonical.equals(prefix) || canonical.startsWith(prefix + "/");
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    String once = out.toString(StandardCharsets.UTF_8);
    // decode repeatedly: a router that decodes twice must not see a different path than this guard
    return once.equals(s) || once.indexOf('%') < 0 ? once : decode(once);
  }
}
