package dev.longshot.vlm.vision;

/**
 * Literal emulations of the PyTorch tensor operations Idefics3's pixel shuffle chains ({@code view}/{@code reshape}
 * keep the row-major flat order; {@code permute} moves axes), so the test can run HF's exact op sequence and compare
 * it with the runtime's direct index formula.
 */
final class TorchOps {
  private TorchOps() {}

  /** {@code x.permute(perm)} of a row-major tensor of {@code shape}, returned contiguous. */
  static float[] permute(float[] x, int[] shape, int[] perm) {
    int rank = shape.length;
    int[] outShape = new int[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[perm[i]];
    }
    int[] inStrides = strides(shape);
    float[] out = new float[x.length];
    int[] idx = new int[rank];
    for (int flat = 0; flat < x.length; flat++) {
      int rem = flat;
      for (int i = rank - 1; i >= 0; i--) {
        idx[i] = rem % outShape[i];
        rem /= outShape[i];
      }
      int src = 0;
      for (int i = 0; i < rank; i++) {
        src += idx[i] * inStrides[perm[i]];
      }
      out[flat] = x[src];
    }
    return out;
  }

  private static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /**
   * HF's {@code pixel_shuffle(x, s)} for batch 1: {@code view(1,h,w,D).view(1,h,w/s,D*s).permute(0,2,1,3)
   * .reshape(1,w/s,h/s,D*s*s).permute(0,2,1,3).reshape(1,seq/s^2,D*s^2)}.
   */
  static float[] pixelShuffle(float[] x, int seq, int d, int s) {
    int h = (int) Math.sqrt(seq);
    int w = h;
    float[] a = permute(x, new int[] {1, h, w / s, d * s}, new int[] {0, 2, 1, 3});
    return permute(a, new int[] {1, w / s, h / s, d * s * s}, new int[] {0, 2, 1, 3});
  }
}
