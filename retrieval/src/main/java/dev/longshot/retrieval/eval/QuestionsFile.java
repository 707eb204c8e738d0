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
 * Blank lines and lines starting with {@code #} are skipped. A bad line fails with its file and line number; a file
 * that is not UTF-8 or is over {@link #MAX_FILE_BYTES} fails naming the file, before anything is parsed.
 */
public final class QuestionsFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest questions file read (the lecture's 20 questions take 3 KB). */
  public static final long MAX_FILE_BYTES = 16L << 20;

  private QuestionsFile() {}

  public static List<EvalQuestion> read(Path file) {
    List<String> lines;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is " + size + " bytes; a questions file may have at most "
            + MAX_FILE_BYTES);
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not UTF-8 text; save it as UTF-8 (one JSON object per line)", e);
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
