package dev.longshot.ingest.ocr;

import dev.longshot.timeline.BoundingBox;
import dev.longshot.timeline.Modality;
import dev.longshot.timeline.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns per-keyframe OCR results into {@code OCR} segments: words under the confidence floor and lines that are
 * mostly noise are dropped, and consecutive keyframes with the same content words ({@link ScreenWords#same}: equal
 * up to case, punctuation and single-glyph OCR confusions) become one span from the first keyframe that showed
 * them until the keyframe where they changed or disappeared. Any content word added, removed or changed starts a
 * new span (issue 14: templated slides that differ in one word each keep their own span), and a span only ever
 * holds the text of a keyframe that matched its words, never a later slide's. Keyframes that were not OCR'd
 * because their content did not change extend the current span. Feed keyframes in time order; not thread-safe.
 */
public final class OcrSpanMerger {
  /** Lines with fewer letters or digits than this are dropped. */
  static final int MIN_ALNUM = 2;

  private final double minConfidence;
  private final List<Segment> done = new ArrayList<>();
  private Span current;

  /** @param minConfidence words below this confidence (0..1) are dropped */
  public OcrSpanMerger(double minConfidence) {
    this.minConfidence = minConfidence;
  }

  /** The OCR result of the keyframe at {@code millis} (stored as {@code keyframe}). */
  public void observe(long millis, String keyframe, List<TextLine> lines) {
    List<TextLine> kept = filter(lines);
    String text = kept.stream().map(TextLine::text).reduce((a, b) -> a + "\n" + b).orElse("");
    List<ScreenWords.Word> words = ScreenWords.of(text);
    if (current != null && !text.isEmpty()
        && (ScreenWords.same(current.lastWords, words) || ScreenWords.same(current.words, words))) {
      current.lastSeen = millis;
      current.lastWords = words;
      double conf = confidence(kept);
      if (conf > current.confidence) {
        current.text = text;
        current.words = words;
        current.boxes = boxes(kept);
        current.confidence = conf;
        current.keyframe = keyframe;
      }
      return;
    }
    close(millis);
    if (!text.isEmpty()) {
      current = new Span(millis, text, words, boxes(kept), confidence(kept), keyframe);
    }
  }

  /** A keyframe at {@code millis} whose content did not change: the current text is still on screen. */
  public void persist(long millis) {
    if (current != null) {
      current.lastSeen = Math.max(current.lastSeen, millis);
    }
  }

  /** Closes the last span at {@code endMillis} (the end of the video) and returns all spans in time order. */
  public List<Segment> finish(long endMillis) {
    if (current != null) {
      close(Math.max(endMillis, current.lastSeen));
    }
    return List.copyOf(done);
  }

  private void close(long endMillis) {
    if (current == null) {
      return;
    }
    long end = Math.max(current.start, endMillis);
    done.add(new Segment(Modality.OCR, current.start, end, current.text, current.boxes, current.keyframe,
        current.confidence, List.of()));
    current = null;
  }

  private List<TextLine> filter(List<TextLine> lines) {
    List<TextLine> out = new ArrayList<>();
    for (TextLine line : lines) {
      List<BoundingBox> words = new ArrayList<>();
      for (BoundingBox w : line.words()) {
        if (w.confidence() >= minConfidence && w.label().codePoints().anyMatch(Character::isLetterOrDigit)) {
          words.add(w);
        }
      }
      if (words.isEmpty()) {
        continue;
      }
      TextLine kept = new TextLine(words);
      String text = kept.text();
      long alnum = text.codePoints().filter(Character::isLetterOrDigit).count();
      if (alnum >= MIN_ALNUM && alnum * 2 >= text.replace(" ", "").length()) {
        out.add(kept);
      }
    }
    return out;
  }

  private static List<BoundingBox> boxes(List<TextLine> lines) {
    return lines.stream().flatMap(l -> l.words().stream()).toList();
  }

  private static double confidence(List<TextLine> lines) {
    return lines.stream().flatMap(l -> l.words().stream()).mapToDouble(BoundingBox::confidence).average().orElse(0);
  }

  private static final class Span {
    final long start;
    long lastSeen;
    String text;
    /** The words of {@link #text} and of the last keyframe that matched them. */
    List<ScreenWords.Word> words;
    List<ScreenWords.Word> lastWords;
    List<BoundingBox> boxes;
    double confidence;
    String keyframe;

    Span(long start, String text, List<ScreenWords.Word> words, List<BoundingBox> boxes, double confidence,
        String keyframe) {
      this.start = start;
      this.lastSeen = start;
      this.text = text;
      this.words = words;
      this.lastWords = words;
      this.boxes = boxes;
      this.confidence = confidence;
      this.keyframe = keyframe;
    }
  }
}
