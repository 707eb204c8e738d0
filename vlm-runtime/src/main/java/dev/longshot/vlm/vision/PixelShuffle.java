package dev.longshot.vlm.vision;

/**
 * Idefics3's connector pixel shuffle (space-to-depth): a square grid of {@code side x side} tokens of width {@code d}
 * becomes {@code (side/s)^2} tokens of width {@code d s^2}. Output token {@code a * (side/s) + j} (row-major over the
 * smaller grid) is the concatenation, row offset {@code m} outer and column offset {@code k} inner, of input token
 * {@code (a s + m, j s + k)}: its slot {@code (m s + k) d}. This is what HF's view/permute/reshape chain computes
 * (shared/research/smolvlm.md, checked index by index in the tests).
 */
public final class PixelShuffle {
  private PixelShuffle() {}

  public static float[][] apply(float[][] x, int side, int d, int s) {
    if (side % s != 0 || x.length != side * side) {
      throw new IllegalArgumentException("pixel shuffle needs a square grid divisible by " + s + ", got "
          + x.length + " tokens, side " + side);
    }
    int small = side / s;
    float[][] out = new float[small * small][d * s * s];
    for (int a = 0; a < small; a++) {
      for (int j = 0; j < small; j++) {
        float[] o = out[a * small + j];
        for (int m = 0; m < s; m++) {
          for (int k = 0; k < s; k++) {
            System.arraycopy(x[(a * s + m) * side + j * s + k], 0, o, (m * s + k) * d, d);
          }
        }
      }
    }
    return out;
  }
}
