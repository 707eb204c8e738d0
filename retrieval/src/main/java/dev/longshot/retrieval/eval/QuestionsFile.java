package dev.longshot.retrieval.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a questions file: JSON Lines, one {@link EvalQuestion} per line with fields {@code question} (string),
 * {@code video} (file name or id), {@code start} and {@code end} (seconds) and {@code keywords} (list of strings).
 * Blank lines and lines starting with {@code #} are skipped. A bad line fails with its file and line number.
 */
public final class QuestionsFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuestionsFile() {}

  public static List<EvalQuestion> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read questions file " + file + ": " + e.getMessage(), e);
    }
    List<EvalQuestion> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(parse(JSON.readTree(line)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a JSON object: "
            + e.getOriginalMessage().lines().findFirst().orElse(""), e);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no questions (one JSON object per line)");
    }
    return out;
  }

  private static EvalQuestion parse(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    List<String> keywords = new ArrayList<>();
    for (JsonNode k : n.path("keywords")) {
      keywords.add(k.asText());
    }
    return new EvalQuestion(text(n, "question"), text(n, "video"), number(n, "start"), number(n, "end"), keywords);
  }

  private static String text(JsonNode n, String field) {
    if (!n.path(field).isTextual()) {
      throw new IllegalArgumentException("field \"" + field + "\" must be a string");
    }
    return n.get(field).asText();
  }

  private static double number(JsonNode n, String field) {
    if (!n.path(field).isNumber() || !Double.isFinite(n.get(field).asDouble())) {
      throw new IllegalArgumentException("field \"" + field + "\" must be a finite number (seconds)");
    }
    return n.get(field).asDouble();
  }
}
