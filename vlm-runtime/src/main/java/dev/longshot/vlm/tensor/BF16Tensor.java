package dev.longshot.vlm.tensor;

/** bfloat16 weights: the upper 16 bits of a float32. */
final class BF16Tensor extends HalfTensor {
  BF16Tensor(short[] a) {
    super(a);
  }

  @Override
  public GgmlType type() {
    return GgmlType.BF16;
  }

  @Override
  public float get(long index) {
    return Float.intBitsToFloat(a[(int) index] << 16);
  }
}
