package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** {@link RowOps#layerNorm} (float-lane statistics on the Vector API) against its all-double scalar twin. */
class RowOpsTest {
  @Test
  void vectorLayerNormAgreesWithTheScalarTwin() {
    SplittableRandom r = new SplittableRandom(11);
    for (int n : new int[] {1, 15, 16, 17, 33, 768, 1000}) {
      for (double center : new double[] {0, 100, -3}) {
        float[] x = new float[n];
        float[] w = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = (float) (center + (r.nextDouble() * 2 - 1) * 4);
          w[i] = (float) (1 + (r.nextDouble() * 2 - 1) * 0.1);
          b[i] = (float) ((r.nextDouble() * 2 - 1) * 0.1);
        }
        float[] vec = new float[n];
        float[] scalar = new float[n];
        RowOps.layerNorm(vec, x, w, b, 1e-6f);
        RowOps.layerNormScalar(scalar, x, w, b, 1e-6f);
        for (int i = 0; i < n; i++) {
          assertThat(vec[i]).as("n %d center %s i %d", n, center, i).isCloseTo(scalar[i], Offset.offset(2e-5f));
        }
        float[] inPlace = x.clone(); // out may be x
        RowOps.layerNorm(inPlace, inPlace, w, b, 1e-6f);
        assertThat(inPlace).containsExactly(vec);
      }
    }
  }
}
