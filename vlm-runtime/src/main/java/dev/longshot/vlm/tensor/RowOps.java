package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * The row-wise steps the decoder ({@code model.Transformer}) and the vision encoder ({@code vision.VisionEncoder})
 * share: residual and bias adds and the two normalisations, on one activation row. Statistics are accumulated in
 * double. Stateless; {@code out} may be {@code x}.
 */
public final class RowOps {
  private RowOps() {}

  /** {@code x += y}. */
  public static void add(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      x[i] += y[i];
    }
  }

  /** {@code x += bias} when the layer has a bias ({@code null}: none). */
  public static void addBias(float[] x, float[] bias) {
    if (bias != null) {
      add(x, bias);
    }
  }

  /** RMSNorm: {@code out = x / sqrt(mean(x^2) + eps) * weight}. */
  public static void rmsNorm(float[] out, float[] x, float[] weight, float eps) {
    double ss = 0;
    for (float v : x) {
      ss += v * v;
    }
    float scale = (float) (1.0 / Math.sqrt(ss / x.length + eps));
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * scale * weight[i];
    }
  }

  /**
   * LayerNorm with weight and bias: {@code out = (x - mean) / sqrt(var + eps) * weight + bias}. With the Vector API the
   * two statistics are summed in float lanes (a row's few dozen values per lane) and the lanes in double;
   * {@link #layerNormScalar} (all in double) is its twin.
   */
  public static void layerNorm(float[] out, float[] x, float[] weight, float[] bias, float eps) {
    if (!Kernels.VECTORIZED) {
      layerNormScalar(out, x, weight, bias, eps);
      return;
    }
    var s = Kernels.F;
    int n = x.length;
    int upper = s.loopBound(n);
    FloatVector acc = FloatVector.zero(s);
    int i = 0;
    for (; i < upper; i += s.length()) {
      acc = acc.add(FloatVector.fromArray(s, x, i));
    }
    double mean = sumLanes(acc);
    for (; i < n; i++) {
      mean += x[i];
    }
    mean /= n;
    float m = (float) mean;
    acc = FloatVector.zero(s);
    for (i = 0; i < upper; i += s.length()) {
      FloatVector d = FloatVector.fromArray(s, x, i).sub(m);
      acc = d.fma(d, acc);
    }
    double var = sumLanes(acc);
    for (; i < n; i++) {
      double d = x[i] - m;
      var += d * d;
    }
    var /= n;
    float inv = (float) (1.0 / Math.sqrt(var + eps));
    for (i = 0; i < upper; i += s.length()) {
      FloatVector.fromArray(s, x, i).sub(m).mul(inv).fma(FloatVector.fromArray(s, weight, i),
          FloatVector.fromArray(s, bias, i)).intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] = (x[i] - m) * inv * weight[i] + bias[i];
    }
  }

  private static double sumLanes(FloatVector v) {
    double sum = 0;
    for (int i = 0; i < v.length(); i++) {
      sum += v.lane(i);
    }
    return sum;
  }

  /** {@link #layerNorm} with both statistics accumulated in double, one value at a time. */
  static void layerNormScalar(float[] out, float[] x, float[] weight, float[] bias, float eps) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      double d = v - mean;
      var += d * d;
    }
    var /= x.length;
    float inv = (float) (1.0 / Math.sqrt(var + eps));
    float m = (float) mean;
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - m) * inv * weight[i] + bias[i];
    }
  }
}
