package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vector API kernels against their scalar twins at awkward sizes and offsets (seeded), for every type in both
 * storages: heap arrays and, where this JVM has them (Java 22+), tensors read in place from a mapped file (placed at
 * an odd byte offset, so no load is aligned). Tolerance: the two only differ in summation order, so
 * |vector - scalar| <= 1e-5 * sum|w_i x_i| + 1e-6.
 */
class KernelsTest {
  private static final long SEED = 20261125L;
  @TempDir
  static Path dir;
  private static TestTensors tensors;

  @BeforeAll
  static void openTensors() {
    tensors = new TestTensors(dir);
  }

  @AfterAll
  static void unmap() {
    tensors.close();
  }

  /**
   * Every type in every storage this JVM has, but the llama.cpp block types of {@link BlockDecoder}: those are checked
   * against a double-precision oracle in {@link BlockQuantKernelsTest}.
   */
  static Stream<Arguments> typesAndStorages() {
    return Stream.of(WeightStorage.values()).filter(s -> s == WeightStorage.HEAP || WeightStorage.mappedAvailable())
        .flatMap(s -> Stream.of(GgmlType.values()).filter(t -> !BlockDecoder.handles(t)).map(t -> Arguments.of(t, s)));
  }

  static Stream<Arguments> quantizedTypesAndStorages() {
    return typesAndStorages().filter(a -> a.get()[0] == GgmlType.Q8_0 || a.get()[0] == GgmlType.Q4_0);
  }

  static FloatTensor tensor(GgmlType type, float[] values, WeightStorage storage) {
    return tensors.of(type, TensorEncoding.encode(values, type.id()), values.length, storage);
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void vectorDotMatchesScalarAtAwkwardSizes(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED + type.ordinal());
    int block = type.blockSize();
    int[] sizes = block == 1 ? new int[] {1, 3, 7, 15, 17, 31, 33, 63, 65, 127, 129, 513, 1000, 1537}
        : new int[] {32, 96, 224, 544, 1056, 1536};
    for (int n : sizes) {
      int rows = 3;
      float[] w = random(r, rows * n);
      float[] x = random(r, n + 5);
      FloatTensor t = tensor(type, w, storage);
      for (int row = 0; row < rows; row++) {
        long offset = (long) row * n;
        float scalar = t.dotScalar((int) offset, x, 5, n);
        float vector = t.dotVector((int) offset, x, 5, n);
        double mag = 0;
        for (int i = 0; i < n; i++) {
          mag += Math.abs(t.get(offset + i) * x[i + 5]);
        }
        assertThat(vector).as("%s n=%d row=%d seed=%d", type, n, row, SEED).isCloseTo(scalar,
            within((float) (1e-5 * mag + 1e-6)));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void copyToMatchesGetAndQuantizationErrorIsBounded(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 7 + type.ordinal());
    float[] w = random(r, 32 * 37);
    FloatTensor t = tensor(type, w, storage);
    float[] out = new float[w.length];
    t.copyTo(0, out, 0, w.length);
    // per-element error bound of each encoding relative to the block's largest magnitude (1.0 here)
    float bound = switch (type) {
      case F32 -> 0f;
      case F16 -> 1e-3f;
      case BF16 -> 8e-3f;
      case Q8_0 -> 1f / 127 * 0.5f + 1e-3f;
      case Q4_0 -> 1f / 8 + 5e-3f; // the extreme opposite the scale's sign clamps to 15: one full step
      default -> throw new IllegalArgumentException(type + " is tested in BlockQuantKernelsTest");
    };
    for (int i = 0; i < w.length; i++) {
      assertThat(out[i]).isEqualTo(t.get(i));
      assertThat(out[i]).as("%s element %d seed %d", type, i, SEED).isCloseTo(w[i], within(bound));
    }
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void batchedMatmulMatchesMatvec(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 13 + type.ordinal());
    int rows = 37;
    int cols = 96;
    FloatTensor w = tensor(type, random(r, rows * cols), storage);
    float[][] xs = {random(r, cols), random(r, cols), random(r, cols)};
    float[][] batched = new float[3][rows];
    try (Parallel par = new Parallel(3)) {
      Matmul.matmul(par, w, xs, batched, 3, rows, cols);
      for (int t = 0; t < 3; t++) {
        float[] single = new float[rows];
        Matmul.matvec(par, w, xs[t], single, rows, cols);
        for (int i = 0; i < rows; i++) {
          assertThat(batched[t][i]).as("%s token %d row %d", type, t, i).isCloseTo(single[i], within(1e-4f));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void copyToAtBlockAndOddOffsetsMatchesGet(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 5 + type.ordinal());
    FloatTensor t = tensor(type, random(r, 32 * 41), storage);
    for (int[] span : new int[][] {{0, 32 * 41}, {96, 32 * 5 + 7}, {5, 70}, {64, 31}, {32 * 40, 32}}) {
      float[] out = new float[span[1] + 3];
      t.copyTo(span[0], out, 3, span[1]);
      for (int i = 0; i < span[1]; i++) {
        assertThat(out[3 + i]).as("%s offset %d element %d", type, span[0], i).isEqualTo(t.get(span[0] + i));
      }
    }
  }

  /**
   * The prefill GEMM (panels of {@link Matmul#PANEL} rows, {@link Matmul#TOKENS} activations per micro-kernel,
   * activations packed per {@link Matmul#TOKEN_BLOCK}) at ragged row counts, token counts (one past a block) and
   * thread counts, several jobs in one region, against a double-precision sum
   * over {@link FloatTensor#get}: within 1e-5 * sum|w x| + 1e-6 (summation order only); for Q8_0 / Q4_0 weights the
   * sum is over the activations rounded as {@link Q8Activation} rounds them.
   */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void prefillGemmMatchesDoubleReferenceAtRaggedSizes(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 17 + type.ordinal());
    int cols = 160;
    int[] rowCounts = {1, Matmul.PANEL - 1, Matmul.PANEL, Matmul.PANEL + 1, 3 * Matmul.PANEL + 5};
    for (int threads : new int[] {1, 3}) {
      for (int n : new int[] {2, Matmul.TOKENS, Matmul.TOKENS + 1, 2 * Matmul.TOKENS - 1, 4 * Matmul.TOKENS + 2}) {
        float[][] xs = new float[n][];
        for (int t = 0; t < n; t++) {
          xs[t] = random(r, cols);
        }
        FloatTensor[] ws = new FloatTensor[rowCounts.length];
        Matmul.Job[] jobs = new Matmul.Job[rowCounts.length];
        for (int j = 0; j < rowCounts.length; j++) {
          ws[j] = tensor(type, random(r, rowCounts[j] * cols), storage);
          jobs[j] = new Matmul.Job(ws[j], new float[n][rowCounts[j]], rowCounts[j]);
        }
        try (Parallel par = new Parallel(threads)) {
          NativeGemm.javaOnly(() -> Matmul.matmul(par, xs, n, cols, jobs)); // the Java GEMM; NativeGemmTest checks the native one
        }
        for (int j = 0; j < jobs.length; j++) {
          assertMatchesReference(type, threads, ws[j], xs, jobs[j], cols);
        }
      }
    }
    // past one block of packed activations, with a ragged group at the end
    int n = Matmul.TOKEN_BLOCK + Matmul.TOKENS + 1;
    float[][] xs = new float[n][];
    for (int t = 0; t < n; t++) {
      xs[t] = random(r, cols);
    }
    FloatTensor w = tensor(type, random(r, (Matmul.PANEL + 1) * cols), storage);
    Matmul.Job job = new Matmul.Job(w, new float[n][Matmul.PANEL + 1], Matmul.PANEL + 1);
    try (Parallel par = new Parallel(2)) {
      NativeGemm.javaOnly(() -> Matmul.matmul(par, xs, n, cols, job)); // the Java GEMM; NativeGemmTest checks the native one
    }
    assertMatchesReference(type, 2, w, xs, job, cols);
  }

  private static void assertMatchesReference(GgmlType type, int threads, FloatTensor w, float[][] xs, Matmul.Job job,
      int cols) {
    for (int t = 0; t < xs.length; t++) {
      for (int row = 0; row < job.rows(); row++) {
        double sum = 0;
        double abs = 0;
        float[] x = w.dotsQuantized() ? Q8Activation.round(xs[t], new float[cols], cols) : xs[t];
        for (int c = 0; c < cols; c++) {
          double p = (double) w.get((long) row * cols + c) * x[c];
          sum += p;
          abs += Math.abs(p);
        }
        assertThat((double) job.outs()[t][row])
            .as("%s threads %d n %d rows %d token %d row %d", type, threads, xs.length, job.rows(), t, row)
            .isCloseTo(sum, within(1e-5 * abs + 1e-6));
      }
    }
  }

  /**
   * A mapped tensor computes what the heap copy of the same bytes does: the same loops in the same order, so
   * dequantised values are equal and dot products agree to rounding. Not to the bit: the Vector API leaves the lane
   * order of {@code reduceLanes(ADD)} open, and the interpreter and C2 sum in different orders (the same heap method
   * called before and after compilation differs in the last bit too), so the kernels' tolerance applies.
   */
  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
  void mappedKernelsGiveTheHeapKernelsResults(GgmlType type) {
    org.junit.jupiter.api.Assumptions.assumeTrue(WeightStorage.mappedAvailable(), "mapping needs Java 22+");
    SplittableRandom r = new SplittableRandom(SEED * 19 + type.ordinal());
    int cols = 32 * 7;
    float[] w = random(r, 5 * cols);
    float[] x = random(r, cols + 3);
    FloatTensor heap = tensor(type, w, WeightStorage.HEAP);
    FloatTensor mapped = tensor(type, w, WeightStorage.MAPPED);
    assertThat(mapped.type()).isEqualTo(type);
    float[] a = new float[w.length];
    float[] b = new float[w.length];
    heap.copyTo(0, a, 0, w.length);
    mapped.copyTo(0, b, 0, w.length);
    assertThat(b).containsExactly(a);
    for (int row = 0; row < 5; row++) {
      int o = row * cols;
      double mag = 0;
      for (int i = 0; i < cols; i++) {
        mag += Math.abs(a[o + i] * x[3 + i]);
      }
      float tol = (float) (1e-5 * mag + 1e-6);
      assertThat(mapped.dotVector(o, x, 3, cols)).as("%s row %d", type, row)
          .isCloseTo(heap.dotVector(o, x, 3, cols), within(tol));
      assertThat(mapped.dotScalar(o, x, 3, cols)).isCloseTo(heap.dotScalar(o, x, 3, cols), within(tol));
      assertThat(mapped.dot(o + 1, x, 3, cols - 1)).isCloseTo(heap.dot(o + 1, x, 3, cols - 1), within(tol));
      assertThat(mapped.get(o + 5)).isEqualTo(heap.get(o + 5));
    }
    assertThat(mapped.dotsQuantized()).isEqualTo(heap.dotsQuantized());
    if (heap.dotsQuantized()) {
      Q8Activation xq = Q8Activation.of(x, cols);
      for (int row = 0; row < 5; row++) {
        float h = heap.dot((long) row * cols, xq);
        double mag = 0;
        for (int i = 0; i < cols; i++) {
          mag += Math.abs(a[row * cols + i] * x[i]);
        }
        assertThat(mapped.dot((long) row * cols, xq)).as("%s integer dot row %d", type, row)
            .isCloseTo(h, within((float) (1e-5 * mag + 1e-6)));
      }
    }
  }

  /**
   * The activation quantization decode uses against Q8_0 / Q4_0 weights: every value within {@code 0.57 d} of its
   * block's scale {@code d} (half a step, plus the float16 rounding of {@code d}: 127 x 2^-11 of a step).
   */
  @org.junit.jupiter.api.Test
  void activationQuantizationIsWithinHalfAStep() {
    SplittableRandom r = new SplittableRandom(SEED * 19);
    float[] x = random(r, 32 * 9);
    for (int i = 64; i < 96; i++) {
      x[i] = 0f; // an all-zero block: scale 0, quants 0
    }
    x[5] = 40f; // one block with a large outlier
    Q8Activation a = Q8Activation.of(x, x.length);
    for (int i = 0; i < x.length; i++) {
      float d = a.scale(i / 32);
      assertThat(Math.abs(a.q[i])).isLessThanOrEqualTo((short) 127);
      assertThat((double) a.get(i)).as("element %d", i).isCloseTo(x[i], within(0.57 * d));
    }
    assertThat(a.scale(2)).isZero();
  }

  /**
   * Decode's integer dot products ({@link QuantDot}, Q8_0 and Q4_0 against a {@link Q8Activation}): vector kernel vs
   * scalar twin vs a double-precision sum of {@code d_w * d_x * (integer products)} within 1e-5 * sum|w x| (float
   * accumulation order only), and against the exact dequantized dot within the activation's rounding bound
   * {@code sum_blocks 0.57 d_x * sum|w|}. Ragged row counts and several threads through {@link Matmul#matvec}, with a
   * float-activation job (F32) in the same region.
   */
  @ParameterizedTest
  @MethodSource("quantizedTypesAndStorages")
  void quantizedMatvecMatchesIntegerReferenceAndRoundingBound(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 23 + type.ordinal());
    for (int cols : new int[] {32, 96, 896, 1056}) {
      for (int rows : new int[] {1, 3, 17, 53}) {
        FloatTensor w = tensor(type, random(r, rows * cols), storage);
        FloatTensor f = tensor(GgmlType.F32, random(r, rows * cols), storage);
        float[] x = random(r, cols);
        x[cols / 2] = 7f;
        Q8Activation a = Q8Activation.of(x, cols);
        for (int threads : new int[] {3, 1}) { // 3 first: several threads fill a mapped matrix's interleaved copy
          float[] out = new float[rows];
          float[] fout = new float[rows];
          try (Parallel par = new Parallel(threads)) {
            Matmul.matmul(par, new float[][] {x}, 1, cols, new Matmul.Job(w, new float[][] {out}, rows),
                new Matmul.Job(f, new float[][] {fout}, rows));
          }
          for (int row = 0; row < rows; row++) {
            double integer = 0;
            double exact = 0;
            double mag = 0;
            for (int c = 0; c < cols; c++) {
              double wc = w.get((long) row * cols + c);
              integer += wc * a.get(c);
              exact += wc * x[c];
              mag += Math.abs(wc * x[c]);
            }
            String what = String.format("%s cols %d rows %d threads %d row %d", type, cols, rows, threads, row);
            if (w.dotsQuantized()) {
              assertThat((double) out[row]).as(what).isCloseTo(integer, within(1e-5 * mag + 1e-6));
            }
            assertThat((double) out[row]).as(what).isCloseTo(exact,
                within(activationRoundingBound(w, x, row, cols) + 1e-5 * mag + 1e-6));
            double fexact = 0;
            double fmag = 0;
            for (int c = 0; c < cols; c++) {
              fexact += (double) f.get((long) row * cols + c) * x[c];
              fmag += Math.abs((double) f.get((long) row * cols + c) * x[c]);
            }
            assertThat((double) fout[row]).as("F32 beside " + what).isCloseTo(fexact, within(1e-5 * fmag + 1e-6));
          }
        }
      }
    }
  }

  /**
   * Decode's several-rows-per-pass kernels ({@link FloatTensor#dotRows}; for mapped Q4_0 the interleaved copy) at
   * ragged row counts, columns and row ranges: against their scalar twin ({@code dotRowsScalar}) within float
   * summation order, and against a double-precision sum of {@code d_w * d_x * (integer products)}. One row of
   * extreme weights times an all-maximal activation drives every short accumulator lane to its largest sum.
   */
  @ParameterizedTest
  @MethodSource("quantizedTypesAndStorages")
  void multiRowKernelMatchesScalarTwinAndIntegerReference(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 31 + type.ordinal());
    for (int cols : new int[] {32, 96, 1056}) {
      for (int rows : new int[] {5, 8, 16, 33, 48}) {
        float[] values = random(r, rows * cols);
        for (int c = 0; c < cols; c++) {
          values[2 * cols + c] = -1f; // row 2: every weight at the most negative quant
          values[3 * cols + c] = c % 2 == 0 ? 1f : -0.99f; // row 3: alternating extremes
        }
        FloatTensor w = tensor(type, values, storage);
        float[] before = new float[rows * cols];
        w.copyTo(0, before, 0, rows * cols);
        try (Parallel par = new Parallel(2)) {
          w.buildLayout(cols, par); // mapped: the interleaved copy, which dotRows and copyTo then read
        }
        float[] after = new float[rows * cols];
        w.copyTo(0, after, 0, rows * cols);
        assertThat(after).as("%s %s %d x %d dequantised from the decode layout", type, storage, rows, cols)
            .containsExactly(before);
        float[] x = random(r, cols);
        if (rows == 16) {
          java.util.Arrays.fill(x, 3f); // every activation quant 127
        }
        Q8Activation a = Q8Activation.of(x, cols);
        int[][] ranges = {{0, rows}, {3, rows - 4}, {rows / 2, rows - rows / 2}};
        for (int[] range : ranges) {
          float[] out = new float[rows];
          float[] twin = new float[rows];
          w.dotRows(range[0], range[1], a, out);
          w.dotRowsScalar(range[0], range[1], a, twin);
          for (int row = range[0]; row < range[0] + range[1]; row++) {
            double integer = 0;
            double mag = 0;
            for (int c = 0; c < cols; c++) {
              double wc = w.get((long) row * cols + c);
              integer += wc * a.get(c);
              mag += Math.abs(wc * a.get(c));
            }
            String what = String.format("%s %s cols %d rows %d from %d row %d", type, storage, cols, rows, range[0],
                row);
            assertThat((double) out[row]).as(what).isCloseTo(integer, within(1e-5 * mag + 1e-6));
            assertThat(out[row]).as(what + " vs scalar twin").isCloseTo(twin[row], within((float) (1e-5 * mag + 1e-6)));
          }
          for (int row = 0; row < rows; row++) {
            if (row < range[0] || row >= range[0] + range[1]) {
              assertThat(out[row]).as("row %d outside the range is not written", row).isZero();
            }
          }
        }
      }
    }
  }

  /** The integer kernels against their scalar twins on random quants, every block scale different. */
  @org.junit.jupiter.api.Test
  void quantizedDotVectorMatchesScalarTwin() {
    org.junit.jupiter.api.Assumptions.assumeTrue(QuantDot.ENABLED && Kernels.VECTORIZED,
        "integer kernels need 256-bit vectors");
    SplittableRandom r = new SplittableRandom(SEED * 29);
    int cols = 32 * 29;
    int rows = 5;
    byte[] q8 = new byte[rows * cols];
    byte[] q4 = new byte[rows * cols / 2];
    float[] scales = new float[rows * cols / 32];
    for (int i = 0; i < q8.length; i++) {
      q8[i] = (byte) (r.nextInt(256) - 128);
    }
    for (int i = 0; i < q4.length; i++) {
      q4[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (float) (r.nextDouble() * 0.02 - 0.01);
    }
    float[] x = random(r, cols);
    x[7] = -127f;
    Q8Activation a = Q8Activation.of(x, cols);
    for (int row = 0; row < rows; row++) {
      int offset = row * cols;
      double mag = 0;
      for (int c = 0; c < cols; c++) {
        mag += Math.abs(scales[(offset + c) / 32] * 128.0 * a.get(c));
      }
      assertThat(QuantDot.q8Vector(q8, scales, offset, a, cols)).as("Q8_0 row %d", row)
          .isCloseTo(QuantDot.q8Scalar(q8, scales, offset, a, cols), within((float) (1e-5 * mag + 1e-6)));
      assertThat(QuantDot.q4Vector(q4, scales, offset, a, cols)).as("Q4_0 row %d", row)
          .isCloseTo(QuantDot.q4Scalar(q4, scales, offset, a, cols), within((float) (1e-5 * mag + 1e-6)));
    }
  }

  /** {@code sum_blocks 0.57 d_x * sum |w|} over row {@code row}: the most the activation's rounding moves a dot. */
  static double activationRoundingBound(FloatTensor w, float[] x, int row, int cols) {
    Q8Activation a = Q8Activation.of(x, cols);
    double bound = 0;
    for (int c = 0; c < cols; c++) {
      bound += 0.57 * a.scale(c / 32) * Math.abs(w.get((long) row * cols + c));
    }
    return bound;
  }

  @org.junit.jupiter.api.Test
  void arrayKernelsMatchScalar() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int n : new int[] {1, 5, 16, 17, 63, 100, 257}) {
      float[] a = random(r, n + 3);
      float[] b = random(r, n + 2);
      assertThat(VectorMath.dot(a, 3, b, 2, n)).isCloseTo(VectorMath.dotScalar(a, 3, b, 2, n), within(1e-4f));
      float[] y = random(r, n);
      float[] expected = y.clone();
      for (int i = 0; i < n; i++) {
        expected[i] += 0.7f * a[i + 1];
      }
      VectorMath.axpy(0.7f, a, 1, y, 0, n);
      assertThat(y).containsExactly(expected, within(1e-6f));
      // SwiGLU gate over a wide range (exp over- and underflows at the ends), vector vs scalar twin vs double
      float[] g = new float[n];
      float[] u = random(r, n);
      for (int i = 0; i < n; i++) {
        g[i] = (float) ((r.nextDouble() * 2 - 1) * (i % 7 == 0 ? 120 : 10));
      }
      float[] gs = g.clone();
      float[] gv = g.clone();
      VectorMath.siluMulScalar(gs, u, 0, n);
      VectorMath.siluMul(gv, u, n);
      for (int i = 0; i < n; i++) {
        double ref = g[i] / (1 + Math.exp(-g[i])) * u[i];
        assertThat((double) gv[i]).as("silu n %d i %d g %f", n, i, g[i]).isCloseTo(ref, within(1e-6 * Math.abs(ref) + 1e-7));
        assertThat((double) gs[i]).as("silu scalar n %d i %d", n, i).isCloseTo(ref, within(1e-6 * Math.abs(ref) + 1e-7));
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
