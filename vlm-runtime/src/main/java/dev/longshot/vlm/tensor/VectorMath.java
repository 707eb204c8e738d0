package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Float-array kernels shared by the forward pass and the attention strategies, with scalar twins. */
public final class VectorMath {
  private VectorMath() {}

  /** {@code sum_i a[aOff+i] * b[bOff+i]}. */
  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    if (!Kernels.VECTORIZED) {
      return dotScalar(a, aOff, b, bOff, n);
    }
    int upper = Kernels.F.loopBound(n);
    FloatVector acc = FloatVector.zero(Kernels.F);
    int i = 0;
    for (; i < upper; i += Kernels.F.length()) {
      acc = FloatVector.fromArray(Kernels.F, a, aOff + i).fma(FloatVector.fromArray(Kernels.F, b, bOff + i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  /** {@code y[yOff+i] += alpha * x[xOff+i]}. */
  public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
    int i = 0;
    if (Kernels.VECTORIZED) {
      int upper = Kernels.F.loopBound(n);
      FloatVector a = FloatVector.broadcast(Kernels.F, alpha);
      for (; i < upper; i += Kernels.F.length()) {
        FloatVector.fromArray(Kernels.F, x, xOff + i)
            .fma(a, FloatVector.fromArray(Kernels.F, y, yOff + i))
            .intoArray(y, yOff + i);
      }
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  /** {@code x[i] = exp(x[i] - shift)} for {@code i < n}, returning the sum of the results. */
  public static float expShifted(float[] x, int n, float shift) {
    int i = 0;
    float sum = 0f;
    if (Kernels.VECTORIZED) {
      int upper = Kernels.F.loopBound(n);
      FloatVector acc = FloatVector.zero(Kernels.F);
      for (; i < upper; i += Kernels.F.length()) {
        FloatVector e = FloatVector.fromArray(Kernels.F, x, i).sub(shift).lanewise(VectorOperators.EXP);
        e.intoArray(x, i);
        acc = acc.add(e);
      }
      sum = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      x[i] = (float) Math.exp(x[i] - shift);
      sum += x[i];
    }
    return sum;
  }

  /**
   * {@code g[i] = silu(g[i]) * u[i] = g[i] / (1 + exp(-g[i])) * u[i]} for {@code i < n}: the SwiGLU gate. The vector
   * path's {@code EXP} is C2's vector exp (about 10x the scalar loop per CPU-second at 4864 values, same results
   * within 2e-7 relative).
   */
  public static void siluMul(float[] g, float[] u, int n) {
    int i = 0;
    if (Kernels.VECTORIZED) {
      int upper = Kernels.F.loopBound(n);
      for (; i < upper; i += Kernels.F.length()) {
        FloatVector v = FloatVector.fromArray(Kernels.F, g, i);
        v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(Kernels.F, u, i))
            .intoArray(g, i);
      }
    }
    siluMulScalar(g, u, i, n);
  }

  static void siluMulScalar(float[] g, float[] u, int from, int n) {
    for (int i = from; i < n; i++) {
      float v = g[i];
      g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
    }
  }

  /** {@code y[yOff+i] *= alpha}. */
  public static void scale(float alpha, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] *= alpha;
    }
  }
}
