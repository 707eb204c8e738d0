package dev.longshot.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Segments built from the GROUND TRUTH of the sample lecture ({@code sample-media/lecture.truth.json}), not from
 * ingest: one OCR segment per slide (title and lines) and one ASR segment per spoken sentence, with the true
 * times. They test retrieval quality in isolation; the end-to-end evaluation (real ingest) is the app module's.
 */
public final class TruthSegments {
  private TruthSegments() {}

  /** The repository root (surefire passes it; falls back to the parent of the module directory). */
  public static Path repoRoot() {
    String root = System.getProperty("longshot.repo.root");
    return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
  }

  public static List<Segment> lecture() {
    Path file = repoRoot().resolve("sample-media/lecture.truth.json");
    try {
      JsonNode truth = new ObjectMapper().readTree(file.toFile());
      List<Segment> out = new ArrayList<>();
      for (JsonNode slide : truth.path("slides")) {
        List<String> lines = new ArrayList<>();
        lines.add(slide.path("title").asText());
        slide.path("lines").forEach(l -> lines.add(l.asText()));
        out.add(segment(Modality.OCR, slide.path("start").asDouble(), slide.path("end").asDouble(), String.join("\n", lines)));
      }
      for (JsonNode s : truth.path("speech")) {
        out.add(segment(Modality.ASR, s.path("start").asDouble(), s.path("end").asDouble(), s.path("text").asText()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Segment segment(Modality m, double startS, double endS, String text) {
    long start = Math.round(startS * 1000);
    return new Segment(m, start, Math.round(endS * 1000), text, List.of(), String.format("%09d.jpg", start), Double.NaN, List.of());
  }
}
