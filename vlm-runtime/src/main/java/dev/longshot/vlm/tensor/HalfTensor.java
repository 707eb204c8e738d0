package dev.longshot.vlm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Shared kernel of the 16-bit float types: widen a chunk to float32 in a per-thread buffer (scalar; the JIT turns
 * {@link Float#float16ToFloat} into F16C instructions), then run the float FMA loop over it.
 */
abstract class HalfTensor extends FloatTensor {
  private static final int CHUNK = 512;
  private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

  protected final short[] a;

  HalfTensor(short[] a) {
    super(a.length);
    this.a = a;
  }

  @Override
  float dotVector(int offset, float[] x, int xOffset, int n) {
    float[] buf = BUFFER.get();
    FloatVector acc = FloatVector.zero(Kernels.F);
    float tail = 0f;
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      copyTo(offset + start, buf, 0, len);
      int upper = Kernels.F.loopBound(len);
      int i = 0;
      for (; i < upper; i += Kernels.F.length()) {
        acc = FloatVector.fromArray(Kernels.F, buf, i).fma(FloatVector.fromArray(Kernels.F, x, xOffset + start + i), acc);
      }
      for (; i < len; i++) {
        tail += buf[i] * x[xOffset + start + i];
      }
    }
    return acc.reduceLanes(VectorOperators.ADD) + tail;
  }
}
