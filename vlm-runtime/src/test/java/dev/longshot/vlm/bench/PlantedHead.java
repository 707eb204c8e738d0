package dev.longshot.vlm.bench;

import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.sparse.AShapePattern;
import dev.longshot.vlm.attention.sparse.GridPattern;
import dev.longshot.vlm.attention.sparse.HeadPattern;
import dev.longshot.vlm.attention.sparse.ModalityLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random queries, keys and values of one head with a pattern's structure planted (the benchmark's stand-in for a
 * real model's heads, which random weights do not have): grid - queries lean towards the keys on the grid lines and
 * the queries on the lines attend everywhere; a-shape - a RoPE-like positional component makes scores peak near the
 * diagonal, and the first 128 keys are sinks; vertical-slash - the same locality plus 600 planted key columns.
 * The one home of the planted generators: {@code PatternSearchTest} plants its grids with {@link #plantGrid}.
 */
public final class PlantedHead {
  private PlantedHead() {}

  static void fill(HeadPattern p, ModalityLayout layout, SplittableRandom r, float[][] q, DenseKvCache cache,
      int d) {
    int n = q.length;
    float[] k = new float[n * d]; // row i at i * d
    float[][] v = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int x = 0; x < d; x++) {
        q[i][x] = (float) r.nextGaussian();
        k[i * d + x] = (float) r.nextGaussian();
        v[i][x] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    float scaleUp = (float) Math.sqrt(d / 16.0); // same score sizes whatever the head dim
    float[] u = direction(r, d, 6 * scaleUp);
    if (p instanceof GridPattern g) {
      plantGrid(layout, g.stride(), g.shift(), u, q, k, d);
    } else {
      int local = p instanceof AShapePattern a ? a.local() : 800;
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < 8; f++) {
          double w = 1.0 / (local / 6.0 * Math.pow(1.4, f));
          float amp = 1.4f * scaleUp;
          q[i][2 * f] = q[i][2 * f] * 0.3f + amp * (float) Math.cos(w * i);
          q[i][2 * f + 1] = q[i][2 * f + 1] * 0.3f + amp * (float) Math.sin(w * i);
          k[i * d + 2 * f] = k[i * d + 2 * f] * 0.3f + amp * (float) Math.cos(w * i);
          k[i * d + 2 * f + 1] = k[i * d + 2 * f + 1] * 0.3f + amp * (float) Math.sin(w * i);
        }
      }
      int columns = p instanceof AShapePattern ? 128 : 600;
      for (int c = 0; c < columns; c++) {
        int j = p instanceof AShapePattern ? c : r.nextInt(n);
        for (int x = 16; x < d; x++) {
          k[j * d + x] += u[x] * 0.6f;
        }
      }
      for (int i = 0; i < n; i++) {
        for (int x = 16; x < d; x++) {
          q[i][x] = q[i][x] * 0.3f + u[x] * 0.6f;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      cache.append(0, i, Arrays.copyOfRange(k, i * d, (i + 1) * d), v[i]);
    }
  }

  /**
   * Plants a grid on the vision span of {@code layout}: keys on the grid lines ({@code j - visionStart = shift mod
   * stride}) move by {@code u} and their queries shrink to near zero, so they spread their attention over every key
   * (the h-lines); every other vision query leans towards {@code u}, so towards the line keys. {@code k} holds key
   * row i at {@code i * d}.
   */
  public static void plantGrid(ModalityLayout layout, int stride, int shift, float[] u, float[][] q, float[] k, int d) {
    int vs = layout.visionStart();
    for (int i = vs; i < layout.visionEnd(); i++) {
      boolean line = Math.floorMod(i - vs - shift, stride) == 0;
      for (int x = 0; x < d; x++) {
        if (line) {
          k[i * d + x] += u[x];
          q[i][x] *= 0.02f;
        } else {
          q[i][x] = q[i][x] * 0.3f + u[x];
        }
      }
    }
  }

  /** A random direction of length {@code norm} in {@code d} dimensions. */
  public static float[] direction(SplittableRandom r, int d, double norm) {
    float[] u = new float[d];
    double ss = 0;
    for (int x = 0; x < d; x++) {
      u[x] = (float) r.nextGaussian();
      ss += u[x] * u[x];
    }
    for (int x = 0; x < d; x++) {
      u[x] *= (float) (norm / Math.sqrt(ss));
    }
    return u;
  }
}
