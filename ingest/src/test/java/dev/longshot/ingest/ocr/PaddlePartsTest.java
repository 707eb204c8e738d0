package dev.longshot.ingest.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.ingest.ocr.CtcDecoder.Char;
import dev.longshot.timeline.BoundingBox;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the PP-OCR backend, on hand-made inputs (no models needed). */
class PaddlePartsTest {
  @Test
  void rotatedBoxCornersGoClockwiseFromTopLeft() {
    float[][] q = new RotatedBox(50, 20, 40, 10, 0).corners();
    assertThat(q[0]).containsExactly(30f, 15f);
    assertThat(q[1]).containsExactly(70f, 15f);
    assertThat(q[2]).containsExactly(70f, 25f);
    assertThat(q[3]).containsExactly(30f, 25f);
    float[][] turned = new RotatedBox(50, 50, 40, 10, Math.toRadians(90)).corners();
    assertThat(Quads.isTurned(turned)).isTrue();
    assertThat(Quads.height(turned)).isCloseTo(40, within(1e-3));
  }

  @Test
  void unclipGrowsEverySideByAreaTimesRatioOverPerimeter() {
    RotatedBox grown = new RotatedBox(0, 0, 30, 10, 0).unclipped(1.5);
    double grow = 30 * 10 * 1.5 / (2 * (30 + 10)); // 5.625
    assertThat(grown.width()).isCloseTo(30 + 2 * grow, within(1e-9));
    assertThat(grown.height()).isCloseTo(10 + 2 * grow, within(1e-9));
  }

  @Test
  void meanInsideCountsOnlyThePixelsOfTheBox() {
    int w = 10;
    int h = 10;
    float[] prob = new float[w * h];
    for (int y = 2; y <= 4; y++) {
      for (int x = 2; x <= 6; x++) {
        prob[y * w + x] = 1f;
      }
    }
    assertThat(new RotatedBox(4, 3, 4, 2, 0).meanInside(prob, w, h)).isEqualTo(1.0);
    assertThat(new RotatedBox(4, 7, 4, 2, 0).meanInside(prob, w, h)).isEqualTo(0.0);
  }

  /** Classes: 0 blank, 1 'a', 2 'b', 3 space. */
  private static List<Char> decode(float[][] steps) {
    FloatBuffer probs = FloatBuffer.allocate(steps.length * 4);
    for (float[] s : steps) {
      probs.put(s);
    }
    probs.flip();
    return new CtcDecoder(new String[] {"", "a", "b", " "}).decode(probs, 0, steps.length, 4, 8, 64);
  }

  @Test
  void ctcCollapsesRepeatsDropsBlanksAndHearsQuietSpaces() {
    List<Char> plain = decode(new float[][] {{0, 1, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}});
    assertThat(plain).extracting(Char::text).containsExactly("a", "a", "b");
    assertThat(plain).extracting(Char::step).containsExactly(0, 3, 4);
    // a space that never wins a step but reaches 0.03 between two letters still separates them
    List<Char> spaced = decode(new float[][] {{0, 1, 0, 0}, {0.96f, 0, 0, 0.04f}, {0, 0, 1, 0}});
    assertThat(spaced).extracting(Char::text).containsExactly("a", " ", "b");
    List<Char> joined = decode(new float[][] {{0, 1, 0, 0}, {0.99f, 0, 0, 0.01f}, {0, 0, 1, 0}});
    assertThat(joined).extracting(Char::text).containsExactly("a", "b");
  }

  private static TextLine line(String word) {
    return new TextLine(List.of(new BoundingBox(0, 0, 0.1, 0.1, word, 1)));
  }

  @Test
  void readingOrderIsRowsThenLeftToRightAndReversedWhenMostLinesAreUpsideDown() {
    TextLine first = line("first");
    TextLine second = line("second");
    TextLine below = line("below");
    ReadingOrder.Line right = new ReadingOrder.Line(new RotatedBox(80, 10, 40, 10, 0).corners(), second, false);
    ReadingOrder.Line left = new ReadingOrder.Line(new RotatedBox(20, 11, 40, 10, 0).corners(), first, false);
    ReadingOrder.Line low = new ReadingOrder.Line(new RotatedBox(20, 60, 40, 10, 0).corners(), below, false);
    assertThat(ReadingOrder.of(List.of(low, right, left))).containsExactly(first, second, below);
    ReadingOrder.Line a = new ReadingOrder.Line(left.quad(), first, true);
    ReadingOrder.Line b = new ReadingOrder.Line(low.quad(), below, true);
    assertThat(ReadingOrder.of(List.of(a, b))).containsExactly(below, first);
  }
}
