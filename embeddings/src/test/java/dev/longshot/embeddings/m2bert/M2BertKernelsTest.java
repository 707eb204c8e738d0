package dev.longshot.embeddings.m2bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API GELU x gate against the scalar {@link M2BertModel#gelu} at every length from 1 to 41. */
class M2BertKernelsTest {
  @Test
  void vectorGeluGateMatchesScalarAtRaggedLengths() {
    long seed = 20261202L;
    Random r = new Random(seed);
    for (int inter = 1; inter <= 41; inter++) {
      float[] hg = new float[2 * inter];
      for (int i = 0; i < hg.length; i++) {
        hg[i] = (float) (r.nextGaussian() * 3);
      }
      hg[0] = 0f;
      float[] act = new float[inter];
      M2BertModel.geluGate(hg, inter, act);
      for (int j = 0; j < inter; j++) {
        float want = M2BertModel.gelu(hg[j]) * hg[inter + j];
        assertThat((double) act[j]).as("seed %d inter %d j %d x %s", seed, inter, j, hg[j])
            .isCloseTo(want, org.assertj.core.data.Offset.offset(2e-6 * Math.max(1, Math.abs(want))));
      }
    }
  }
}
