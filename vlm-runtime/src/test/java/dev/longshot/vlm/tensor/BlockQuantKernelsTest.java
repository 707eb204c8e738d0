package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The llama.cpp block types of {@link BlockDecoder} (Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K): first the
 * double-precision {@link BlockOracle} on hand-built blocks whose values were worked out by hand (including every
 * branch of the 6-bit scale/min packing), then every kernel (copyTo at block and odd offsets = embedding rows and
 * prefill panels, get, the decode dot's vector and scalar forms, matvec and the prefill GEMM at ragged sizes and
 * thread counts), heap and mapped, against the oracle on packed random blocks.
 */
class BlockQuantKernelsTest {
  private static final long SEED = 20261202L;
  private static final GgmlType[] TYPES = {GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K,
      GgmlType.Q5_K, GgmlType.Q6_K};
  private static Path dir;
  private static TestTensors tensors;

  @BeforeAll
  static void tempDir() throws IOException {
    dir = Files.createTempDirectory("blockquant");
    tensors = new TestTensors(dir);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    tensors.close();
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  static Stream<Arguments> typesAndStorages() {
    return Stream.of(WeightStorage.values()).filter(s -> s == WeightStorage.HEAP || WeightStorage.mappedAvailable())
        .flatMap(s -> Stream.of(TYPES).map(t -> Arguments.of(t, s)));
  }

  /** The tensor over {@code bytes} in {@code storage} (mapped: at byte 7 of a file, so blocks are misaligned). */
  static FloatTensor tensor(GgmlType type, byte[] bytes, long elements, WeightStorage storage) {
    return tensors.of(type, bytes, elements, storage);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static byte[] repeat(int n, java.util.function.IntUnaryOperator f) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) f.applyAsInt(i);
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  /**
   * Scales {1, 2, 63, 0, 17, 40, 63, 33} and mins {0, 5, 63, 1, 32, 48, 7, 63} packed by hand: bytes 0-3 are
   * 0x41 0x82 0xFF 0x80 (scale j's low 6 bits, scale j+4's bits 4-5 on top), 4-7 are 0x80 0xC5 0x3F 0xC1 (the same
   * for the mins), 8-11 are 0x01 0x08 0x7F 0xF1 (low nibbles of scale and min j+4). Min 4 = 32 takes its top bits
   * from byte 4, scale 4 = 17 from byte 0: reading either from the other byte gives 16 and 33.
   */
  private static final byte[] K_SCALES = hex("41 82 FF 80 80 C5 3F C1 01 08 7F F1");
  private static final int[] K_SC = {1, 2, 63, 0, 17, 40, 63, 33};
  private static final int[] K_MN = {0, 5, 63, 1, 32, 48, 7, 63};
  /** Nibble bytes: byte l of each 32 holds l % 16 low and 15 - l % 16 high. */
  private static final byte[] K_QS = repeat(128, i -> (i % 16) | (15 - i % 16) << 4);

  @Test
  void oracleReadsTheSixBitScalePackingInEveryBranch() {
    for (int j = 0; j < 8; j++) {
      assertThat(BlockOracle.packed6(K_SCALES, 0, j, false)).as("scale %d", j).isEqualTo(K_SC[j]);
      assertThat(BlockOracle.packed6(K_SCALES, 0, j, true)).as("min %d", j).isEqualTo(K_MN[j]);
      assertThat(BlockDecoder.scale(K_SCALES, 0, j)).as("decoder scale %d", j).isEqualTo(K_SC[j]);
      assertThat(BlockDecoder.min(K_SCALES, 0, j)).as("decoder min %d", j).isEqualTo(K_MN[j]);
    }
  }

  /** Hand-built blocks and hand-worked values: {element, value} pairs. */
  static Stream<Arguments> handBlocks() {
    // f16: 1.0 = 0x3C00, 0.5 = 0x3800, 0.25 = 0x3400, -1.0 = 0xBC00 (stored little-endian)
    byte[] q4k = concat(hex("003C 0038"), K_SCALES, K_QS);
    // qh byte l = 1 << (l % 8): the fifth bit of element l of sub-block s is set when l % 8 == s
    byte[] q5k = concat(hex("003C 0038"), K_SCALES, repeat(32, l -> 1 << (l % 8)), K_QS);
    // ql byte i = i; qh bytes 0xE4 = high bits 0, 1, 2, 3 for k = 0..3; scales s - 8, then 127 and -128
    byte[] q6k = concat(repeat(128, i -> i), repeat(64, i -> 0xE4),
        repeat(16, s -> s == 14 ? 127 : s == 15 ? -128 : s - 8), hex("0034"));
    byte[] nibbles = repeat(16, j -> j | (15 - j) << 4);
    byte[] q5_0 = concat(hex("0038 01000080"), nibbles); // fifth bits of elements 0 and 31
    byte[] q5_1 = concat(hex("0038 00BC 01000080"), nibbles);
    byte[] q4_1 = concat(hex("0038 00BC"), nibbles);
    return Stream.of(
        Arguments.of(GgmlType.Q4_K, q4k, new double[][] {{0, 0}, {163, 456}, {95, 913.5}, {224, 463.5}, {129, 1},
            {103, -0.5}}),
        Arguments.of(GgmlType.Q5_K, q5k, new double[][] {{163, 456}, {165, 1016}, {74, 1606.5}, {0, 16},
            {232, 199.5}}),
        Arguments.of(GgmlType.Q6_K, q6k, new double[][] {{0, 64}, {37, 16.5}, {200, 4}, {255, -736}, {239, 698.5}}),
        Arguments.of(GgmlType.Q5_0, q5_0, new double[][] {{0, 0}, {1, -7.5}, {31, 0}, {16, -0.5}, {15, -0.5},
            {20, -2.5}}),
        Arguments.of(GgmlType.Q5_1, q5_1, new double[][] {{0, 7}, {1, -0.5}, {16, 6.5}, {31, 7}}),
        Arguments.of(GgmlType.Q4_1, q4_1, new double[][] {{0, -1}, {1, -0.5}, {16, 6.5}, {20, 4.5}}));
  }

  @ParameterizedTest
  @MethodSource("handBlocks")
  void oracleAndKernelsGiveTheHandWorkedValues(GgmlType type, byte[] block, double[][] expected) {
    assertThat(block).hasSize(type.bytesPerBlock());
    for (double[] e : expected) {
      assertThat(BlockOracle.value(type, block, (long) e[0])).as("%s oracle element %d", type, (int) e[0])
          .isEqualTo(e[1]);
    }
    typesAndStorages().filter(a -> a.get()[0] == type).forEach(a -> {
      FloatTensor t = tensor(type, block, type.blockSize(), (WeightStorage) a.get()[1]);
      float[] all = new float[type.blockSize()];
      t.copyTo(0, all, 0, all.length);
      for (int i = 0; i < all.length; i++) {
        assertThat((double) all[i]).as("%s %s element %d", type, a.get()[1], i)
            .isEqualTo(BlockOracle.value(type, block, i));
      }
      for (double[] e : expected) {
        assertThat((double) t.get((long) e[0])).isEqualTo(e[1]);
      }
    });
  }

  /** Random values packed by {@code BlockPacker}, the same numbers a test model gets. */
  static byte[] packed(GgmlType type, float[] values) {
    return TensorEncoding.encode(values, type.id());
  }

  static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  static double[] oracle(GgmlType type, byte[] bytes, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = BlockOracle.value(type, bytes, i);
    }
    return v;
  }

  /** The packer gives valid blocks close to its input (RMS error a fraction of the values' RMS). */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void packedRandomBlocksRoundTripWithinTheTypesPrecision(GgmlType type, WeightStorage storage) {
    if (storage != WeightStorage.HEAP) {
      return;
    }
    float[] w = random(new SplittableRandom(SEED + type.ordinal()), 256 * 12);
    double[] v = oracle(type, packed(type, w), w.length);
    double err = 0;
    double mag = 0;
    for (int i = 0; i < w.length; i++) {
      err += (v[i] - w[i]) * (v[i] - w[i]);
      mag += (double) w[i] * w[i];
    }
    double bound = switch (type) {
      case Q4_1, Q4_K -> 0.12;
      case Q5_0, Q5_1, Q5_K -> 0.06;
      default -> 0.05;
    };
    assertThat(Math.sqrt(err / mag)).as("%s relative RMS error", type).isLessThan(bound);
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void copyToAndGetMatchTheOracleAtBlockAndOddOffsets(GgmlType type, WeightStorage storage) {
    int b = type.blockSize();
    int n = b * 13;
    byte[] bytes = packed(type, random(new SplittableRandom(SEED * 3 + type.ordinal()), n));
    double[] v = oracle(type, bytes, n);
    FloatTensor t = tensor(type, bytes, n, storage);
    for (int[] span : new int[][] {{0, n}, {b, 3 * b}, {b + 5, 2 * b + 7}, {5, 70}, {2 * b, b - 1}, {n - b, b},
        {n - 3, 3}, {7 * b - 1, 2}}) {
      float[] out = new float[span[1] + 3];
      t.copyTo(span[0], out, 3, span[1]);
      for (int i = 0; i < span[1]; i++) {
        assertThat((double) out[3 + i]).as("%s %s offset %d element %d", type, storage, span[0], i)
            .isCloseTo(v[span[0] + i], within(1e-5 * Math.abs(v[span[0] + i]) + 1e-7));
      }
    }
    for (int i = 0; i < n; i += 37) {
      assertThat((double) t.get(i)).isCloseTo(v[i], within(1e-5 * Math.abs(v[i]) + 1e-7));
    }
  }

  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void decodeDotsMatchTheOracleAtRaggedSizes(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 5 + type.ordinal());
    int b = type.blockSize();
    for (int blocks : new int[] {1, 3, 5, 9, 35}) {
      int cols = b * blocks;
      int rows = 5;
      byte[] bytes = packed(type, random(r, rows * cols));
      double[] v = oracle(type, bytes, rows * cols);
      FloatTensor t = tensor(type, bytes, (long) rows * cols, storage);
      float[] x = random(r, cols + 3);
      for (int row = 0; row < rows; row++) {
        int o = row * cols;
        // whole blocks (the stored-form kernel), an unaligned start, a short end (whole blocks then a decoded tail)
        for (int[] cut : new int[][] {{0, 0}, {1, 0}, {33, 0}, {0, 5}, {0, b + 7}}) {
          int skip = cut[0];
          int len = cols - skip - cut[1];
          if (len <= 0) {
            continue;
          }
          double sum = 0;
          double abs = 0;
          for (int i = skip; i < skip + len; i++) {
            sum += v[o + i] * x[3 + i];
            abs += Math.abs(v[o + i] * x[3 + i]);
          }
          String what = String.format("%s %s cols %d row %d skip %d length %d", type, storage, cols, row, skip, len);
          double tol = 1e-5 * abs + 1e-6;
          assertThat((double) t.dotVector(o + skip, x, 3 + skip, len)).as("vector " + what)
              .isCloseTo(sum, within(tol));
          assertThat((double) t.dotScalar(o + skip, x, 3 + skip, len)).as("scalar " + what)
              .isCloseTo(sum, within(tol));
        }
      }
    }
  }

  /** Decode's matvec ({@code n == 1}) and the prefill GEMM at ragged row and token counts, 1 and 3 threads. */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void matvecAndPrefillGemmMatchTheOracle(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 7 + type.ordinal());
    int cols = type.blockSize() * 3;
    int[] rowCounts = {1, Matmul.PANEL + 1, 37};
    for (int threads : new int[] {1, 3}) {
      for (int n : new int[] {1, 2, 4, 7}) {
        float[][] xs = new float[n][];
        for (int t = 0; t < n; t++) {
          xs[t] = random(r, cols);
        }
        Matmul.Job[] jobs = new Matmul.Job[rowCounts.length];
        double[][] vs = new double[rowCounts.length][];
        for (int j = 0; j < jobs.length; j++) {
          byte[] bytes = packed(type, random(r, rowCounts[j] * cols));
          vs[j] = oracle(type, bytes, rowCounts[j] * cols);
          jobs[j] = new Matmul.Job(tensor(type, bytes, (long) rowCounts[j] * cols, storage),
              new float[n][rowCounts[j]], rowCounts[j]);
        }
        try (Parallel par = new Parallel(threads)) {
          NativeGemm.javaOnly(() -> Matmul.matmul(par, xs, n, cols, jobs)); // the Java GEMM; NativeGemmTest checks the native one
        }
        for (int j = 0; j < jobs.length; j++) {
          for (int t = 0; t < n; t++) {
            float[] x = seen(jobs[j].w(), xs[t]);
            for (int row = 0; row < jobs[j].rows(); row++) {
              double sum = 0;
              double abs = 0;
              for (int c = 0; c < cols; c++) {
                sum += vs[j][row * cols + c] * x[c];
                abs += Math.abs(vs[j][row * cols + c] * x[c]);
              }
              assertThat((double) jobs[j].outs()[t][row])
                  .as("%s %s threads %d n %d rows %d token %d row %d", type, storage, threads, n, jobs[j].rows(), t,
                      row)
                  .isCloseTo(sum, within(1e-5 * abs + 1e-6));
            }
          }
        }
      }
    }
  }

  /** A prefill of one token past a whole activation block ({@link Matmul#TOKEN_BLOCK}). */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void prefillPastOneActivationBlockMatchesTheOracle(GgmlType type, WeightStorage storage) {
    SplittableRandom r = new SplittableRandom(SEED * 11 + type.ordinal());
    int cols = type.blockSize();
    int rows = Matmul.PANEL + 3;
    int n = Matmul.TOKEN_BLOCK + 1;
    byte[] bytes = packed(type, random(r, rows * cols));
    double[] v = oracle(type, bytes, rows * cols);
    FloatTensor w = tensor(type, bytes, (long) rows * cols, storage);
    float[][] xs = new float[n][];
    for (int t = 0; t < n; t++) {
      xs[t] = random(r, cols);
    }
    float[][] outs = new float[n][rows];
    try (Parallel par = new Parallel(2)) {
      NativeGemm.javaOnly(() -> Matmul.matmul(par, w, xs, outs, n, rows, cols)); // the Java GEMM; NativeGemmTest checks the native one
    }
    for (int t : new int[] {0, 1, n - 2, n - 1}) {
      float[] x = seen(w, xs[t]);
      for (int row = 0; row < rows; row++) {
        double sum = 0;
        double abs = 0;
        for (int c = 0; c < cols; c++) {
          sum += v[row * cols + c] * x[c];
          abs += Math.abs(v[row * cols + c] * x[c]);
        }
        assertThat((double) outs[t][row]).as("%s %s token %d row %d", type, storage, t, row)
            .isCloseTo(sum, within(1e-5 * abs + 1e-6));
      }
    }
  }

  /** The activation as products with {@code w} see it: rounded as {@link Q8Activation} rounds where they are integer. */
  private static float[] seen(FloatTensor w, float[] x) {
    return w.dotsQuantized() ? Q8Activation.round(x, new float[x.length], x.length) : x;
  }

  /**
   * Q4_K / Q6_K / Q5_0 / Q4_1 against a quantized activation ({@link BlockQuantDot}): the vector kernel and its scalar twin against
   * the oracle's weights times the activation's rounded values (float accumulation order only), heap and mapped, rows
   * longer than the mapped run of 16 blocks.
   */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void integerDotsMatchTheOracleOnTheRoundedActivation(GgmlType type, WeightStorage storage) {
    if (!BlockQuantDot.handles(type) || !QuantDot.ENABLED) {
      return;
    }
    SplittableRandom r = new SplittableRandom(SEED * 13 + type.ordinal());
    for (int blocks : new int[] {1, 3, 17}) {
      int cols = (type.blockSize() == 32 ? 96 : 256) * blocks; // Q5_0: rows of 3, 9, 51 blocks
      int rows = 3;
      byte[] bytes = packed(type, random(r, rows * cols));
      double[] v = oracle(type, bytes, rows * cols);
      FloatTensor t = tensor(type, bytes, (long) rows * cols, storage);
      assertThat(t.dotsQuantized()).isTrue();
      float[] x = random(r, cols);
      x[7] = 0; // a block with a zero and one all zero: scale 0
      java.util.Arrays.fill(x, 64, 96, 0f);
      Q8Activation xq = Q8Activation.of(x, cols);
      for (int row = 0; row < rows; row++) {
        double sum = 0;
        double abs = 0;
        for (int i = 0; i < cols; i++) {
          sum += v[row * cols + i] * xq.get(i);
          abs += Math.abs(v[row * cols + i] * xq.get(i));
        }
        String what = String.format("%s %s cols %d row %d", type, storage, cols, row);
        assertThat((double) t.dot((long) row * cols, xq)).as(what).isCloseTo(sum, within(1e-5 * abs + 1e-6));
        byte[] a = java.util.Arrays.copyOfRange(bytes, row * cols / type.blockSize() * type.bytesPerBlock(),
            bytes.length);
        int stored = cols / type.blockSize();
        float scalar = switch (type) {
          case Q4_K -> BlockQuantDot.q4KScalar(a, 0, stored, xq, 0);
          case Q6_K -> BlockQuantDot.q6KScalar(a, 0, stored, xq, 0);
          case Q5_0 -> BlockQuantDot.q5_0Scalar(a, 0, stored, xq, 0);
          case Q4_1 -> BlockQuantDot.q4_1Scalar(a, 0, stored, xq, 0);
          default -> throw new AssertionError(type);
        };
        assertThat((double) scalar).as("scalar twin " + what).isCloseTo(sum, within(1e-5 * abs + 1e-6));
      }
    }
  }

  /**
   * The interleaved decode layout of Q4_K / Q6_K / Q5_0 / Q4_1 ({@link FloatTensor#buildLayout}, mapped): its multi-row kernel and
   * scalar twin against the oracle's weights times the rounded activation, at ragged row counts (rows past the last
   * whole group go row by row from the file) and row ranges; dequantisation from it gives the same floats as the
   * heap copy's decoder, at block and odd offsets and across rows; and the prefill GEMM over it.
   */
  @ParameterizedTest
  @MethodSource("typesAndStorages")
  void interleavedLayoutMatchesTheOracle(GgmlType type, WeightStorage storage) {
    if (!BlockQuantDot.handles(type) || !QuantDot.ENABLED) {
      return;
    }
    SplittableRandom r = new SplittableRandom(SEED * 17 + type.ordinal());
    for (int cols : type.blockSize() == 32 ? new int[] {96, 896} : new int[] {256, 768}) {
      for (int rows : new int[] {5, 16, 33, 48}) {
        byte[] bytes = packed(type, random(r, rows * cols));
        double[] v = oracle(type, bytes, rows * cols);
        FloatTensor w = tensor(type, bytes, (long) rows * cols, storage);
        FloatTensor heap = tensor(type, bytes, (long) rows * cols, WeightStorage.HEAP);
        try (Parallel par = new Parallel(2)) {
          w.buildLayout(cols, par);
        }
        for (long[] range : new long[][] {{0, (long) rows * cols}, {37, cols + 5}, {(long) cols * (rows - 1), cols}}) {
          float[] got = new float[(int) range[1]];
          float[] want = new float[(int) range[1]];
          w.copyTo(range[0], got, 0, got.length);
          heap.copyTo(range[0], want, 0, want.length);
          assertThat(got).as("%s %s %d x %d copyTo from %d", type, storage, rows, cols, range[0])
              .containsExactly(want);
        }
        float[] x = random(r, cols);
        Q8Activation xq = Q8Activation.of(x, cols);
        for (int[] range : new int[][] {{0, rows}, {3, rows - 4}, {rows / 2, rows - rows / 2}}) {
          float[] out = new float[rows];
          float[] twin = new float[rows];
          w.dotRows(range[0], range[1], xq, out);
          w.dotRowsScalar(range[0], range[1], xq, twin);
          for (int row = 0; row < rows; row++) {
            if (row < range[0] || row >= range[0] + range[1]) {
              assertThat(out[row]).as("row %d outside the range is not written", row).isZero();
              continue;
            }
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < cols; i++) {
              sum += v[row * cols + i] * xq.get(i);
              abs += Math.abs(v[row * cols + i] * xq.get(i));
            }
            String what = String.format("%s %s %d x %d from %d row %d", type, storage, rows, cols, range[0], row);
            assertThat((double) out[row]).as(what).isCloseTo(sum, within(1e-5 * abs + 1e-6));
            assertThat(out[row]).as("scalar twin " + what).isCloseTo(twin[row], within((float) (1e-5 * abs + 1e-6)));
          }
        }
        float[][] xs = {x, random(r, cols), random(r, cols)};
        float[][] outs = new float[3][rows];
        try (Parallel par = new Parallel(2)) {
          Matmul.matmul(par, w, xs, outs, 3, rows, cols);
        }
        for (int t = 0; t < 3; t++) {
          float[] seen = seen(w, xs[t]);
          for (int row = 0; row < rows; row++) {
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < cols; i++) {
              sum += v[row * cols + i] * seen[i];
              abs += Math.abs(v[row * cols + i] * seen[i]);
            }
            assertThat((double) outs[t][row]).as("%s %s prefill token %d row %d", type, storage, t, row)
                .isCloseTo(sum, within(1e-5 * abs + 1e-6));
          }
        }
      }
    }
  }
}
