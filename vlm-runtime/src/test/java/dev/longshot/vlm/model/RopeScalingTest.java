package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Llama 3.1 RoPE scaling as per-frequency divisors (HF config.json path; GGUF files carry rope_freqs). */
class RopeScalingTest {
  @Test
  void highFrequenciesKeepTheirSpeedLowOnesAreDividedByTheFactorAndTheBandBetweenBlends() {
    // Llama 3.1 8B: theta 500000, factor 8, low 1, high 4, original context 8192, head size 128
    float[] f = SafetensorsModelLoader.llama3Factors(128, 500000f, 8f, 1f, 4f, 8192);
    assertThat(f).hasSize(64);
    assertThat(f[0]).isEqualTo(1f); // wavelength 2*pi < 8192/4
    assertThat(f[63]).isEqualTo(8f); // wavelength far beyond 8192
    for (int i = 1; i < f.length; i++) {
      assertThat(f[i]).isGreaterThanOrEqualTo(f[i - 1]);
    }
    // a frequency in the blend band: wavelength between 2048 and 8192
    int mid = -1;
    for (int i = 0; i < 64; i++) {
      double wavelen = 2 * Math.PI / Math.pow(500000, -2.0 * i / 128);
      if (wavelen > 2048 && wavelen < 8192) {
        mid = i;
        double smooth = (8192 / wavelen - 1) / 3;
        assertThat(f[i]).isCloseTo((float) (1 / ((1 - smooth) / 8 + smooth)), within(1e-5f));
      }
    }
    assertThat(mid).isPositive();
    assertThat(f[mid]).isStrictlyBetween(1f, 8f);
  }
}
