package dev.longshot.vlm.vision;

import dev.longshot.vlm.tensor.Kernels;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The MLP activation a vision config names ({@code hidden_act}); SigLIP / Idefics3 default to tanh GELU. */
public enum VisionActivation {
  /** {@code gelu_pytorch_tanh}: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
  GELU_TANH("gelu_pytorch_tanh"),
  /** {@code gelu}: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  GELU("gelu"),
  /** {@code quick_gelu}: {@code x sigmoid(1.702 x)}. */
  QUICK_GELU("quick_gelu");

  private final String hfName;

  VisionActivation(String hfName) {
    this.hfName = hfName;
  }

  public String hfName() {
    return hfName;
  }

  /** The activation for a config's {@code hidden_act}; {@code gelu_new} is the same tanh form. */
  public static VisionActivation fromHf(String name) {
    if ("gelu_new".equals(name) || "gelu_fast".equals(name)) {
      return GELU_TANH;
    }
    for (VisionActivation a : values()) {
      if (a.hfName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("vision hidden_act '" + name + "' is not supported; supported: "
        + Arrays.stream(values()).map(VisionActivation::hfName).toList());
  }

  /**
   * Applies the activation to {@code x[0..n)} in place. With the Vector API the tanh and sigmoid forms run as
   * {@code x / (1 + exp(-z))} on C2's vector {@code EXP} ({@code 0.5 (1 + tanh(u)) = 1 / (1 + exp(-2u))}, so
   * GELU_TANH's {@code z = 2u}); {@link #applyScalar} is the twin the tests hold it to. GELU (erf) is scalar only.
   */
  public void apply(float[] x, int n) {
    int i = 0;
    if (Kernels.VECTORIZED && this != GELU) {
      var s = FloatVector.SPECIES_PREFERRED;
      int upper = s.loopBound(n);
      for (; i < upper; i += s.length()) {
        FloatVector v = FloatVector.fromArray(s, x, i);
        FloatVector z = this == GELU_TANH
            ? v.mul(v).mul(2 * 0.7978845608028654f * 0.044715f).add(2 * 0.7978845608028654f).mul(v)
            : v.mul(1.702f);
        v.div(z.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(x, i);
      }
    }
    applyScalar(x, i, n);
  }

  /** The scalar form of {@link #apply} on {@code x[from..n)}: the expressions as HF writes them. */
  void applyScalar(float[] x, int from, int n) {
    switch (this) {
      case GELU_TANH -> {
        for (int i = from; i < n; i++) {
          float v = x[i];
          x[i] = 0.5f * v * (1f + (float) Math.tanh(0.7978845608028654 * (v + 0.044715f * v * v * v)));
        }
      }
      case GELU -> {
        for (int i = from; i < n; i++) {
          x[i] = (float) (0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2))));
        }
      }
      case QUICK_GELU -> {
        for (int i = from; i < n; i++) {
          x[i] = x[i] / (1f + (float) Math.exp(-1.702f * x[i]));
        }
      }
    }
  }

  /** erf to about 1e-12 (series below 2.5, continued fraction of erfc above). */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 2.5) {
      double term = ax;
      double sum = ax;
      double x2 = ax * ax;
      for (int k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
        term *= -x2 / k;
        sum += term / (2 * k + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = 0;
      for (int k = 60; k >= 1; k--) {
        f = k / 2.0 / (ax + f);
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    }
    return x < 0 ? -r : r;
  }
}
