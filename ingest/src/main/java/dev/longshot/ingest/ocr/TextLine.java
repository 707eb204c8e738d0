package dev.longshot.ingest.ocr;

import dev.longshot.timeline.BoundingBox;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of recognised text.
 *
 * @param words its words, left to right; each box's label is the word and its confidence is 0..1
 */
public record TextLine(List<BoundingBox> words) {
  public TextLine {
    words = List.copyOf(words);
  }

  /** The words joined by single spaces. */
  public String text() {
    return words.stream().map(BoundingBox::label).collect(Collectors.joining(" "));
  }

  /** Mean word confidence, 0..1 (0 for an empty line). */
  public double confidence() {
    return words.stream().mapToDouble(BoundingBox::confidence).average().orElse(0);
  }
}
