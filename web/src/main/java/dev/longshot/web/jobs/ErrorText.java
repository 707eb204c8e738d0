package dev.longshot.web.jobs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Makes failure text fit to show through the API: the job's own file becomes its name, and any other absolute
 * path (the data directory, a model file, a temp file) becomes its last element, so clients learn what went
 * wrong without learning the server's layout (issue 12, point 8). The log keeps the full text.
 */
public final class ErrorText {
  /** An absolute POSIX or Windows path: a root, then at least one more element; keeps the last element. */
  private static final Pattern ABSOLUTE_PATH =
      Pattern.compile("(?<![\\w.~:/-])(?:/|[A-Za-z]:\\\\)(?:[^\\s/\\\\:'\"(),;]+[/\\\\])*([^\\s/\\\\:'\"(),;]+)");

  private ErrorText() {}

  /** {@code text} with {@code file} replaced by its name and every other absolute path by its last element. */
  public static String withoutPaths(String text, Path file) {
    if (text == null) {
      return "";
    }
    String out = text;
    if (file != null && file.getFileName() != null) {
      out = out.replace(file.toAbsolutePath().normalize().toString(), file.getFileName().toString());
      out = out.replace(file.toString(), file.getFileName().toString());
    }
    return ABSOLUTE_PATH.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
  }
}
