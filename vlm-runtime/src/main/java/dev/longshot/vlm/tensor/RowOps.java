package dev.longshot.vlm.tensor;

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

  /** LayerNorm with weight and bias: {@code out = (x - mean) / sqrt(var + eps) * weight + bias}. */
  public static void layerNorm(float[] out, float[] x, float[] weight, float[] bias, float eps) {
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
