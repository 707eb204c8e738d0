package dev.longshot.vlm.tensor;

/** Shared kernel of the 16-bit float types held in the heap: {@link FloatTensor#dotByChunks}. */
abstract class HalfTensor extends FloatTensor {
  protected final short[] a;

  HalfTensor(short[] a) {
    super(a.length);
    this.a = a;
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    return dotByChunks(offset, x, xOffset, n);
  }
}
