package dev.longshot.ingest.ocr;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding of the recognition model's output over PP-OCR's character list: class 0 is the blank, class
 * {@code i} the {@code i}-th character, and the last class a space. Immutable and thread-safe.
 */
final class CtcDecoder {
  /** Space probability between two characters that puts a space there (see {@link #decode}). */
  static final float SPACE_PROBABILITY = 0.03f;
  /** The same for characters at least {@value #WIDE_GAP_STEPS} steps apart. */
  static final float WIDE_GAP_SPACE_PROBABILITY = 0.01f;
  static final int WIDE_GAP_STEPS = 6;

  /** One decoded character: its class, CTC time step (in rec-input pixels / 8 units) and probability. */
  record Char(String text, int step, float prob, double stepWidth, double contentWidth) {}

  private final String[] characters;

  /** @param characters class {@code i} is {@code characters[i]}: a blank first, a space last */
  CtcDecoder(String[] characters) {
    this.characters = characters.clone();
  }

  /**
   * Greedy CTC: the best class per time step, repeats collapsed, blanks dropped. The model is sparing with spaces
   * between Latin words (its training data is mostly Chinese), so a space is also put between two characters when,
   * at some step between them, the space class reaches {@value #SPACE_PROBABILITY} without winning the step, or
   * {@value #WIDE_GAP_SPACE_PROBABILITY} when the characters are at least {@value #WIDE_GAP_STEPS} steps (48
   * input pixels) apart. Chosen on the lecture slides, a white slide clip and three seeded scene-text sets: inside
   * cleanly read words the space class stayed under 0.01, at unspaced word gaps of clean text it reached 0.01 to
   * 0.5. Inside misread scene-text words it reached up to 0.07, so a few false spaces remain there.
   *
   * @param probs the model output; this line's {@code steps} x {@code classes} scores start at {@code offset}
   * @param stepWidth input pixels per time step
   * @param contentWidth input pixels holding the crop (the rest is padding)
   */
  List<Char> decode(FloatBuffer probs, int offset, int steps, int classes, double stepWidth, int contentWidth) {
    int space = classes - 1;
    List<Char> chars = new ArrayList<>();
    int previous = 0;
    float gapSpace = 0;
    int gapSpaceStep = -1;
    for (int t = 0; t < steps; t++) {
      int best = 0;
      float bestP = -1;
      int row = offset + t * classes;
      for (int c = 0; c < classes; c++) {
        float p = probs.get(row + c);
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best != 0 && best != previous) {
        boolean afterLetter = !chars.isEmpty() && !chars.getLast().text().equals(" ");
        boolean wide = afterLetter && t - chars.getLast().step() >= WIDE_GAP_STEPS;
        if (best != space && afterLetter
            && (gapSpace >= SPACE_PROBABILITY || wide && gapSpace >= WIDE_GAP_SPACE_PROBABILITY)) {
          chars.add(new Char(" ", gapSpaceStep, gapSpace, stepWidth, contentWidth));
        }
        chars.add(new Char(characters[best], t, bestP, stepWidth, contentWidth));
        gapSpace = 0;
      } else if (best == 0 && probs.get(row + space) > gapSpace) {
        gapSpace = probs.get(row + space);
        gapSpaceStep = t;
      }
      previous = best;
    }
    return chars;
  }
}
