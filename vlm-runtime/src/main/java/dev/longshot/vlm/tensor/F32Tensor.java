package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** IEEE float32 weights. */
final class F32Tensor extends FloatTensor {
  private final float[] a;

  F32Tensor(float[] a) {
    super(a.length);
    this.a = a;
  }

  @Override
  public GgmlType type() {
    return GgmlType.F32;
  }

  @Override
  public float get(long index) {
    return a[(int) index];
  }

  @Override
  float dotScalar(int offset, float[] x, int xOffset, int n) {
    return VectorMath.dotScalar(a, offset, x, xOffset, n);
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    int len = Kernels.F.length();
    int upper = Kernels.F.loopBound(n);
    FloatVector acc0 = FloatVector.zero(Kernels.F);
    FloatVector acc1 = FloatVector.zero(Kernels.F);
    int i = 0;
    for (; i + len < upper; i += 2 * len) {
      acc0 = FloatVector.fromArray(Kernels.F, a, offset + i).fma(FloatVector.fromArray(Kernels.F, x, xOffset + i), acc0);
      acc1 = FloatVector.fromArray(Kernels.F, a, offset + i + len)
          .fma(FloatVector.fromArray(Kernels.F, x, xOffset + i + len), acc1);
    }
    for (; i < upper; i += len) {
      acc0 = FloatVector.fromArray(Kernels.F, a, offset + i).fma(FloatVector.fromArray(Kernels.F, x, xOffset + i), acc0);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum += a[offset + i] * x[xOffset + i];
    }
    return sum;
  }

  @Override
  public void copyTo(long offset, float[] dst, int dstOffset, int n) {
    System.arraycopy(a, (int) offset, dst, dstOffset, n);
  }
}
