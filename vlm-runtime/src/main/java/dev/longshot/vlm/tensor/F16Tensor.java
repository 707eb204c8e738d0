package dev.longshot.vlm.tensor;

/** IEEE half-precision weights. */
final class F16Tensor extends HalfTensor {
  F16Tensor(short[] a) {
    super(a);
  }

  @Override
  public GgmlType type() {
    return GgmlType.F16;
  }

  @Override
  public float get(long index) {
    return f16(a[(int) index]);
  }
}
