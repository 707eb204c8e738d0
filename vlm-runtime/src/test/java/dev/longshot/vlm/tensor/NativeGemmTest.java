package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prefill products as {@link Matmul} runs them on this machine (through {@link NativeGemm} where it is active:
 * oneDNN, with AMX or AVX-512 BF16; else the Java GEMM, and the test says which) against a double-precision sum over
 * the exactly dequantised weights ({@link BlockOracle} for llama.cpp's block types, {@link FloatTensor#get} for the
 * others, whose dequantised values are exact in float), for every weight type, heap and mapped, at ragged sizes:
 * columns that are not a multiple of oneDNN's 32-wide AMX tiles or of the vector length, odd row counts, 16 to 1030
 * activations, slices of rows and runs of activations smaller than the defaults so every product is cut. Where this
 * machine can run oneDNN (linux-x86_64, Java 22+, AVX-512 BF16), the native path must be the one checked, and still
 * on after the products (a native failure would fall back to the Java GEMM unseen).
 *
 * <p>Native bf16 (the quantised types) rounds each product's operands to bfloat16 (round to nearest even), so the
 * reference rounds the same operands the same way ({@link NativeGemm#toBf16}); the products of two bfloat16 values are
 * exact in float32, and what is left is the float32 summation in another order, as for float32 (native F32/F16/BF16
 * weights, and the Java GEMM): {@code |out - ref| <= 2 * cols * 2^-24 * sum|w x| + 1e-6}. The reference takes the
 * activation rounded as {@link Q8Activation} rounds it where the products round it (Q8_0, Q4_0, Q4_K, Q6_K), as both
 * paths do.
 */
class NativeGemmTest {
  private static final long SEED = 20261202_16L;
  @TempDir
  static Path dir;
  private static TestTensors tensors;
  private static boolean buildLayouts;

  @BeforeAll
  static void open() {
    tensors = new TestTensors(dir);
    System.out.println("NativeGemmTest checks: " + NativeGemm.status());
  }

  @AfterAll
  static void close() {
    tensors.close();
  }

  /** oneDNN runs wherever it can: a preset that does not load there is a failure, not a quiet Java GEMM. */
  @Test
  void theNativePathRunsWhereThisMachineCanRunIt() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    assumeTrue(Kernels.VECTORIZED && Runtime.version().feature() >= 22 && "amd64".equals(System.getProperty("os.arch"))
        && !"false".equalsIgnoreCase(System.getProperty(NativeGemm.PROPERTY)) && Files.isReadable(cpuinfo),
        "not a machine oneDNN is used on");
    assumeTrue(Files.readString(cpuinfo).contains(" avx512_bf16"), "the CPU has no AVX-512 BF16");
    assertThat(NativeGemm.active()).as(NativeGemm.status()).isTrue();
  }

  @AfterEach
  void restoreCuts() {
    buildLayouts = false;
    NativeGemm.sliceFloats = 1L << 22;
    NativeGemm.tokenChunk = 1024;
  }

  static Stream<Arguments> typesAndStorages() {
    return Stream.of(WeightStorage.values()).filter(s -> s == WeightStorage.HEAP || WeightStorage.mappedAvailable())
        .flatMap(s -> Stream.of(GgmlType.values()).map(t -> Arguments.of(t, s, false)));
  }

  /** Mapped tensors with their decode layout built, as a loaded model has them: prefill reads whole groups there. */
  static Stream<Arguments> typesWithLayouts() {
    return WeightStorage.mappedAvailable() ? Stream.of(GgmlType.values()).map(t -> Arguments.of(t, WeightStorage.MAPPED,
        true)) : Stream.empty();
  }

  @ParameterizedTest
  @MethodSource({"typesAndStorages", "typesWithLayouts"})
  void prefillProductsMatchTheOracleAtRaggedSizes(GgmlType type, WeightStorage storage, boolean layouts) {
    buildLayouts = layouts;
    SplittableRandom r = new SplittableRandom(SEED + 31L * type.ordinal() + storage.ordinal());
    int block = type.blockSize();
    // not a multiple of 32 (AMX's bf16 tile depth) where the type allows it
    int cols = block == 1 ? 161 : block == 32 ? 32 * 7 : 256 * 3;
    int[] rowCounts = {1, 7, 33, 129};
    NativeGemm.sliceFloats = 20L * cols; // jobs of 33 and 129 rows are cut into slices of 20 rows
    NativeGemm.tokenChunk = 37;
    for (int threads : new int[] {1, 2, 3}) {
      for (int n : new int[] {NativeGemm.MIN_TOKENS, 17, 45, 80}) {
        check(type, storage, r, cols, rowCounts, n, threads);
      }
    }
  }

  /**
   * A product given bad input (an activation shorter than the columns, too few output rows) fails with one clear line
   * and leaves the native path on: only a failure of the native library turns it off for the JVM.
   */
  @Test
  void badInputFailsWithOneLineAndLeavesTheNativePathOn() {
    SplittableRandom r = new SplittableRandom(SEED * 13);
    int cols = 64;
    int n = NativeGemm.MIN_TOKENS + 4;
    FloatTensor w = tensors.of(GgmlType.Q8_0, TensorEncoding.encode(random(r, 4 * cols), GgmlType.Q8_0.id()),
        4L * cols, WeightStorage.HEAP);
    boolean active = NativeGemm.active();
    float[][] xs = new float[n][];
    for (int t = 0; t < n; t++) {
      xs[t] = random(r, t == 5 ? cols - 10 : cols);
    }
    float[][] outs = new float[n][4];
    try (Parallel par = new Parallel(2)) {
      assertThatThrownBy(() -> Matmul.matmul(par, xs, n, cols, new Matmul.Job(w, outs, 4)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activation 5").hasMessageNotContaining("\n");
      xs[5] = random(r, cols);
      outs[7] = new float[3];
      assertThatThrownBy(() -> Matmul.matmul(par, xs, n, cols, new Matmul.Job(w, outs, 4)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output 7");
    }
    assertThat(NativeGemm.active()).as(NativeGemm.status()).isEqualTo(active);
  }

  /**
   * After a product larger than {@link NativeGemm#keptBufferBytes}, the native buffers above it are freed (a long
   * prompt's activations must not stay resident for the JVM's life); smaller ones are kept for the next product.
   */
  @Test
  void nativeBuffersAboveTheCapAreFreedAfterAProduct() {
    assumeTrue(NativeGemm.active(), "no native path here");
    SplittableRandom r = new SplittableRandom(SEED * 17);
    long cap = NativeGemm.keptBufferBytes;
    try {
      NativeGemm.keptBufferBytes = 1L << 20;
      check(GgmlType.Q8_0, WeightStorage.HEAP, r, 768, new int[] {19}, 1030, 2); // 1030 x 768 bf16: 1.5 MiB of input
      assertThat(NativeGemm.instance().bufferBytes()).isLessThanOrEqualTo(3L << 20);
      check(GgmlType.Q8_0, WeightStorage.HEAP, r, 96, new int[] {19}, 40, 2);
      assertThat(NativeGemm.instance().bufferBytes()).isGreaterThan(0).isLessThanOrEqualTo(3L << 20);
    } finally {
      NativeGemm.keptBufferBytes = cap;
    }
  }

  /** A long prefill at the default cuts: more activations than one native run holds. */
  @Test
  void aPrefillLongerThanOneRunOfActivationsMatchesTheOracle() {
    SplittableRandom r = new SplittableRandom(SEED * 3);
    for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.F32}) {
      check(type, WeightStorage.HEAP, r, 96, new int[] {19}, 1030, 2);
    }
  }

  private static void check(GgmlType type, WeightStorage storage, SplittableRandom r, int cols, int[] rowCounts, int n,
      int threads) {
    float[][] xs = new float[n][];
    for (int t = 0; t < n; t++) {
      xs[t] = random(r, cols);
    }
    Matmul.Job[] jobs = new Matmul.Job[rowCounts.length];
    double[][] ws = new double[rowCounts.length][];
    for (int j = 0; j < jobs.length; j++) {
      byte[] bytes = TensorEncoding.encode(random(r, rowCounts[j] * cols), type.id());
      FloatTensor w = tensors.of(type, bytes, (long) rowCounts[j] * cols, storage);
      if (buildLayouts) {
        try (Parallel par = new Parallel(2)) {
          w.buildLayout(cols, par);
        }
      }
      ws[j] = new double[rowCounts[j] * cols];
      for (int i = 0; i < ws[j].length; i++) {
        ws[j][i] = BlockDecoder.handles(type) ? BlockOracle.value(type, bytes, i) : w.get(i);
      }
      jobs[j] = new Matmul.Job(w, new float[n][rowCounts[j]], rowCounts[j]);
    }
    boolean active = NativeGemm.active();
    try (Parallel par = new Parallel(threads)) {
      Matmul.matmul(par, xs, n, cols, jobs);
    }
    assertThat(NativeGemm.active()).as("native path still on after the products: " + NativeGemm.status())
        .isEqualTo(active);
    boolean bf16 = NativeGemm.multipliesInBf16(jobs[0].w(), n);
    if (bf16) {
      for (double[] w : ws) {
        bf16(w);
      }
    }
    double relative = 2 * cols * 0x1p-24;
    for (int j = 0; j < jobs.length; j++) {
      for (int t = 0; t < n; t++) {
        float[] rounded = Matmul.roundsActivations(jobs[j], cols) ? Q8Activation.round(xs[t], new float[cols], cols)
            : xs[t];
        double[] x = new double[cols];
        for (int c = 0; c < cols; c++) {
          x[c] = rounded[c];
        }
        if (bf16) {
          bf16(x);
        }
        for (int row = 0; row < jobs[j].rows(); row++) {
          double sum = 0;
          double abs = 0;
          for (int c = 0; c < cols; c++) {
            double p = ws[j][row * cols + c] * x[c];
            sum += p;
            abs += Math.abs(p);
          }
          assertThat((double) jobs[j].outs()[t][row])
              .as("%s %s %s threads %d n %d rows %d token %d row %d", NativeGemm.status(), type, storage, threads, n,
                  jobs[j].rows(), t, row)
              .isCloseTo(sum, within(relative * abs + 1e-6));
        }
      }
    }
  }

  /** {@code v[i]} rounded to float, then to bfloat16 as the native path rounds its operands. */
  private static void bf16(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    short[] b = new short[v.length];
    NativeGemm.toBf16(f, b, v.length);
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.intBitsToFloat(b[i] << 16);
    }
  }

  /**
   * The native path's vector float-to-bfloat16 conversion (Java 22+, reached by reflection) against its scalar twin
   * and against hand-worked roundings: ties to even, carries into the exponent, infinities, NaN, subnormals.
   */
  @Test
  void bfloat16ConversionRoundsToNearestEven() throws Exception {
    assumeTrue(WeightStorage.mappedAvailable(), "the native path needs Java 22+");
    var vector = Class.forName("dev.longshot.vlm.tensor.OneDnnGemm").getDeclaredMethod("toBf16", float[].class);
    vector.setAccessible(true);
    float[] hand = {1f, Float.intBitsToFloat(0x3f808000), Float.intBitsToFloat(0x3f818000),
        Float.intBitsToFloat(0x3f808001), Float.intBitsToFloat(0x3f7fffff), Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -2.5f};
    short[] want = {0x3f80, 0x3f80, 0x3f82, 0x3f81, 0x3f80, 0x7f80, (short) 0xff80, 0x7fc0, (short) 0x8000, 0x0000,
        0x7f80, (short) 0xc020};
    SplittableRandom r = new SplittableRandom(SEED * 5);
    for (int n : new int[] {hand.length, 16, 33, 161}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = i < hand.length ? hand[i] : Float.intBitsToFloat(r.nextInt());
      }
      short[] scalar = new short[n];
      NativeGemm.toBf16(x, scalar, n);
      assertThat((short[]) vector.invoke(null, (Object) x)).as("n %d", n).containsExactly(scalar);
      for (int i = 0; i < Math.min(n, hand.length); i++) {
        assertThat(scalar[i]).as("bfloat16 of %s", Float.toHexString(hand[i])).isEqualTo(want[i]);
      }
    }
  }

  /**
   * The native path's fused activation rounding and bfloat16 conversion (Java 22+, by reflection) gives the bits of
   * {@link Q8Activation#round} then {@link NativeGemm#toBf16}: random blocks, ties of {@code x * 127 / amax} (x =
   * amax * k / 254 for odd k), zeros of both signs, a whole zero block, tiny, huge, infinite and NaN values.
   */
  @Test
  void fusedActivationRoundingGivesTheBitsOfRoundThenBfloat16() throws Exception {
    assumeTrue(WeightStorage.mappedAvailable(), "the native path needs Java 22+");
    var fused = Class.forName("dev.longshot.vlm.tensor.OneDnnGemm").getDeclaredMethod("roundToBf16", float[].class);
    fused.setAccessible(true);
    SplittableRandom r = new SplittableRandom(SEED * 7);
    int n = 32 * 12;
    float[] x = random(r, n);
    for (int i = 32; i < 64; i++) { // ties: amax 2, values 2 * k / 254 so x * 127 / amax = k / 2
      x[i] = i == 32 ? 2f : 2f * (2 * (i - 32) + 1) / 254f * (i % 3 == 0 ? -1 : 1);
    }
    java.util.Arrays.fill(x, 64, 96, 0f);
    x[70] = -0f;
    x[100] = -0f;
    x[101] = 0f;
    for (int i = 128; i < 160; i++) {
      x[i] = Float.intBitsToFloat(r.nextInt(1, 0x400)) * (i % 2 == 0 ? 1 : -1); // subnormal block: id overflows
    }
    x[170] = Float.POSITIVE_INFINITY;
    x[200] = Float.NaN;
    x[230] = Float.MAX_VALUE;
    x[231] = -Float.MAX_VALUE;
    x[260] = 65504f * 127f * 4f; // scale past f16's range
    short[] want = new short[n];
    NativeGemm.toBf16(Q8Activation.round(x, new float[n], n), want, n);
    assertThat((short[]) fused.invoke(null, (Object) x)).containsExactly(want);
  }

  /**
   * {@code BlockedBf16} (Java 22+, by reflection) writes exactly the bf16 of {@code copyTo}'s floats at oneDNN's
   * {@code BA16a16b2a} positions, zeros in the padding, for every type, heap and mapped, with and without the decode
   * layout (whose whole 16-row groups take the vector path), from row 0 and from row 16, ragged row counts.
   */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void blockedBf16WeightsAreTheBf16OfCopyToInOneDnnsLayout(GgmlType type, WeightStorage storage) throws Exception {
    assumeTrue(WeightStorage.mappedAvailable(), "the native path needs Java 22+");
    var write = Class.forName("dev.longshot.vlm.tensor.BlockedBf16").getDeclaredMethod("toArray", FloatTensor.class,
        int.class, int.class, int.class, int.class);
    write.setAccessible(true);
    SplittableRandom r = new SplittableRandom(SEED * 11 + type.ordinal());
    int block = type.blockSize();
    int cols = block == 1 ? 161 : block == 32 ? 32 * 7 : 256 * 3;
    int rows = 53;
    byte[] bytes = TensorEncoding.encode(random(r, rows * cols), type.id());
    FloatTensor w = tensors.of(type, bytes, (long) rows * cols, storage);
    for (boolean layout : new boolean[] {false, true}) {
      if (layout) {
        try (Parallel par = new Parallel(2)) {
          w.buildLayout(cols, par);
        }
      }
      for (int[] range : new int[][] {{0, rows}, {16, 37}, {16, 16}, {48, 5}}) {
        int r0 = range[0];
        int count = range[1];
        int pairs = (cols + 15) / 16 * 8;
        short[] want = new short[(count + 15) / 16 * 16 * pairs * 2];
        float[] row = new float[cols];
        short[] h = new short[cols];
        for (int i = 0; i < count; i++) {
          w.copyTo((long) (r0 + i) * cols, row, 0, cols);
          NativeGemm.toBf16(row, h, cols);
          for (int c = 0; c < cols; c++) {
            want[((i / 16 * pairs + c / 2) * 16 + i % 16) * 2 + c % 2] = h[c];
          }
        }
        for (int threads : new int[] {1, 3}) {
          assertThat((short[]) write.invoke(null, w, r0, count, cols, threads))
              .as("%s %s layout %s rows %d+%d threads %d", type, storage, layout, r0, count, threads)
              .containsExactly(want);
        }
      }
    }
  }

  static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }
}
