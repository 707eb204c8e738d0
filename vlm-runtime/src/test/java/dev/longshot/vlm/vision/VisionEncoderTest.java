package dev.longshot.vlm.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.VisionPrecision;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java vision tower and connector against {@link VisionReference} (double precision, HF module semantics) on a
 * seeded tiny random SmolVLM written in HF's layout; the pixel shuffle against HF's op chain; the bucketed position
 * ids against hand-worked values.
 */
class VisionEncoderTest {
  private static final long SEED = 4242L;

  @Test
  void towerAndConnectorMatchTheDoublePrecisionReference(@TempDir Path dir) throws Exception {
    Tiny tiny = Tiny.write(dir);
    double[][] ref = new VisionReference(tiny.rm).encode(tiny.pixels);
    for (int threads : new int[] {1, 3}) {
      try (Parallel par = new Parallel(threads)) {
        float[][] got = new VisionEncoder(tiny.vc, tiny.vw, par, VisionPrecision.F32).encode(tiny.pixels, tiny.side,
            tiny.side);
        assertThat(maxAbsDiff(got, ref)).as("max |java - reference|, %d threads, seed %d", threads, SEED)
            .isLessThanOrEqualTo(1e-4);
      }
    }
  }

  /**
   * {@link VisionPrecision#BF16}: where the native GEMM runs, every product rounds its operands to bfloat16, so the
   * tower is held to the reference that rounds the same operands ({@code VisionReference} in bf16 mode) within 1e-4
   * of the output's scale (float32 vs double sums, and any operand whose float32 and double values round to different
   * bfloat16 neighbours; measured 5e-8 of the scale for this seed), and its distance from the exact reference to 1e-2
   * of the scale (measured 0.0174 at scale 4.54 = 3.8e-3). Where the Java GEMM runs, BF16 is float32.
   */
  @Test
  void bf16ProductsMatchTheReferenceThatRoundsTheSameOperands(@TempDir Path dir) throws Exception {
    Tiny tiny = Tiny.write(dir);
    double[][] exact = new VisionReference(tiny.rm).encode(tiny.pixels);
    double[][] rounded = new VisionReference(tiny.rm, true).encode(tiny.pixels);
    double scale = scale(exact);
    for (int threads : new int[] {1, 3}) {
      try (Parallel par = new Parallel(threads)) {
        float[][] got = new VisionEncoder(tiny.vc, tiny.vw, par, VisionPrecision.BF16).encode(tiny.pixels,
            tiny.side, tiny.side);
        float[][][] onJava = new float[1][][];
        dev.longshot.vlm.tensor.NativeGemm.javaOnly(() -> onJava[0] = new VisionEncoder(tiny.vc, tiny.vw, par,
            VisionPrecision.BF16).encode(tiny.pixels, tiny.side, tiny.side));
        assertThat(maxAbsDiff(onJava[0], exact)).as("BF16 on the Java GEMM (the fallback) is float32")
            .isLessThanOrEqualTo(1e-4);
        double toExact = maxAbsDiff(got, exact);
        if (!dev.longshot.vlm.tensor.NativeGemm.active()) {
          assertThat(toExact).as("Java GEMM (%s): float32", dev.longshot.vlm.tensor.NativeGemm.status())
              .isLessThanOrEqualTo(1e-4);
          continue;
        }
        double toRounded = maxAbsDiff(got, rounded);
        System.out.printf(java.util.Locale.ROOT, "VisionEncoderTest bf16, %d threads: max |java - bf16 reference| "
            + "%.3g, max |java - exact reference| %.3g, scale %.3g%n", threads, toRounded, toExact, scale);
        assertThat(toRounded).as("max |java bf16 - bf16 reference|, scale %.3g", scale)
            .isLessThanOrEqualTo(1e-4 * scale);
        assertThat(toExact).as("max |java bf16 - exact reference|, scale %.3g", scale)
            .isLessThanOrEqualTo(1e-2 * scale).isGreaterThan(0);
      }
    }
  }

  private static double scale(double[][] ref) {
    double scale = 0;
    for (double[] row : ref) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    return scale;
  }

  private static double maxAbsDiff(float[][] got, double[][] ref) {
    assertThat(got.length).isEqualTo(ref.length);
    assertThat(scale(ref)).as("reference magnitude").isGreaterThan(0.1);
    double max = 0;
    for (int t = 0; t < ref.length; t++) {
      for (int i = 0; i < ref[t].length; i++) {
        max = Math.max(max, Math.abs(got[t][i] - ref[t][i]));
      }
    }
    return max;
  }

  /** The seeded tiny SmolVLM, its tower as the HF loader reads it, and a random image. */
  private record Tiny(RandomSmolVlm rm, VisionConfig vc, VisionWeights vw, float[] pixels, int side) {
    static Tiny write(Path dir) throws Exception {
      RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
      rm.writeHuggingFace(dir);
      try (HfVisionLoader loader = new HfVisionLoader(dir)) {
        VisionConfig vc = loader.config(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            dir.resolve("config.json").toFile()), rm.text.spec.dim());
        VisionWeights vw = loader.weights(vc);
        assertThat(vc.imageSeqLen()).isEqualTo(16);
        int side = rm.vision.imageSize();
        float[] pixels = new float[3 * side * side];
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return new Tiny(rm, vc, vw, pixels, side);
      }
    }
  }

  @Test
  void pixelShuffleIsHfsOpChain() {
    for (int[] c : new int[][] {{8, 3, 2}, {8, 5, 4}, {12, 2, 3}, {4, 1, 2}}) {
      int side = c[0];
      int d = c[1];
      int s = c[2];
      float[][] x = new float[side * side][d];
      float[] flat = new float[side * side * d];
      for (int t = 0; t < x.length; t++) {
        for (int i = 0; i < d; i++) {
          x[t][i] = t * 1000 + i;
          flat[t * d + i] = x[t][i];
        }
      }
      float[][] got = PixelShuffle.apply(x, side, d, s);
      float[] want = TorchOps.pixelShuffle(flat, side * side, d, s);
      int width = d * s * s;
      for (int t = 0; t < got.length; t++) {
        for (int i = 0; i < width; i++) {
          assertThat(got[t][i]).as("side %d d %d s %d token %d slot %d", side, d, s, t, i).isEqualTo(want[t * width + i]);
        }
      }
    }
  }

  @Test
  void positionIdsAreTheIdentityForFullImagesAndBucketedForSmallerOnes() {
    for (int n : new int[] {4, 8, 16, 27, 32}) {
      int[] ids = VisionEncoder.positionIds(n, n, n);
      for (int i = 0; i < ids.length; i++) {
        assertThat(ids[i]).as("n %d", n).isEqualTo(i);
      }
    }
    // 4x4 patches on an 8x8 table: coordinates 0, .25, .5, .75 fall in buckets 0, 2, 4, 6
    int[] small = VisionEncoder.positionIds(8, 4, 4);
    assertThat(small).startsWith(0, 2, 4, 6, 16, 18, 20, 22);
    assertThat(small[15]).isEqualTo(6 * 8 + 6);
    // 2 x 3 patches on a 4x4 table: rows 0, .5 -> 0, 2; columns 0, 1/3, 2/3 -> 0, 1, 2
    assertThat(VisionEncoder.positionIds(4, 2, 3)).containsExactly(0, 1, 2, 8, 9, 10);
  }

  @Test
  void geluVariantsAndErf() {
    assertThat(VisionActivation.erf(0.5)).isCloseTo(0.5204998778130465, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(VisionActivation.erf(-3.0)).isCloseTo(-0.9999779095030014, org.assertj.core.data.Offset.offset(1e-12));
    float[] x = {1f};
    VisionActivation.GELU.apply(x, 1);
    assertThat(x[0]).isCloseTo(0.8413447f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThatThrownBy(() -> VisionActivation.fromHf("relu6")).hasMessageContaining("relu6")
        .hasMessageContaining("gelu_pytorch_tanh");
  }

  @Test
  void vectorActivationsAgreeWithTheirScalarTwins() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (VisionActivation a : VisionActivation.values()) {
      for (int n : new int[] {1, 15, 16, 17, 67, 3072}) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = (float) ((r.nextDouble() * 2 - 1) * (i % 7 == 0 ? 40 : 6));
        }
        x[0] = n > 1 ? -120f : x[0];
        float[] vec = x.clone();
        float[] scalar = x.clone();
        a.apply(vec, n);
        a.applyScalar(scalar, 0, n);
        for (int i = 0; i < n; i++) {
          assertThat((double) vec[i]).as("%s n %d x %s", a, n, x[i])
              .isCloseTo(scalar[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-6 * Math.abs(scalar[i])));
        }
      }
    }
  }

  @Test
  void towerRejectsImagesItCannotTake(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    try (HfVisionLoader loader = new HfVisionLoader(dir); Parallel par = new Parallel(1)) {
      VisionConfig vc = loader.config(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          dir.resolve("config.json").toFile()), rm.text.spec.dim());
      VisionEncoder enc = new VisionEncoder(vc, loader.weights(vc), par, VisionPrecision.F32);
      assertThatThrownBy(() -> enc.encode(new float[3 * 36 * 36], 36, 36)).hasMessageContaining("36x36");
      // a 16x16 image (4x4 patches, bucketed positions) is accepted
      assertThat(enc.encode(new float[3 * 16 * 16], 16, 16)).hasNumberOfRows(4);
    }
  }
}
