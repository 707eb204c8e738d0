package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.vlm.attention.AttentionStrategies;
import dev.longshot.vlm.attention.DenseKvCache;
import dev.longshot.vlm.attention.KvCache;
import dev.longshot.vlm.tensor.NativeGemm;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.BlockPacker;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimised forward pass (Vector API kernels, batched prefill, tiled online-softmax attention, several threads)
 * against {@link NaiveReference}, a plain double-precision statement of the same equations, on seeded tiny models.
 * The reference computes with the same weight values the file holds (quantized types dequantized), so the stated
 * tolerance for exact products is the same for every type: max |logit - reference| <= 2e-3 (float32 accumulation over 2 layers; the
 * logits spread over more than 1.0, so this is tight). Where the runtime's matrix-vector products against Q8_0 /
 * Q4_0 weights round their activations as llama.cpp does ({@code Q8Activation}), the reference rounds every
 * product's input the same way ({@link NaiveReference.ActivationRounding#ALL}), within {@link #ROUNDED_TOLERANCE}.
 */
class ForwardPassTest {
  private static final long SEED = 1234L;
  /**
   * Where activations are rounded to 8 bits: a float32 difference (prefill's float GEMM vs decode's integer sums vs
   * the double reference) can carry a value across a rounding boundary, moving it by a whole step ({@code max|x| /
   * 127}), and these random 2-layer models amplify that; measured up to 0.125 (Qwen2 Q8_0, batched), 0 to 8e-7
   * elsewhere. A wrong product moves the logits by far more (the rounding itself moves them by 0.12-0.14).
   */
  static final double ROUNDED_TOLERANCE = 0.2;
  private static final int[] PROMPT = {0, 120, 261, 266, 114, 119, 123, 264, 36, 109, 119, 5, 77, 200, 33, 90, 91};

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.F32, 2e-3),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.F32, 2e-3),
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.F16, 2e-3),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.BF16, 2e-3),
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.Q8_0, 2e-3),
        Arguments.of(ModelSpec.tinyQwen2(), TensorEncoding.Q8_0, 2e-3),
        Arguments.of(ModelSpec.tinyLlama(), TensorEncoding.Q4_0, 2e-3),
        Arguments.of(ModelSpec.tinyKLlama(), BlockPacker.Q4_K, 2e-3),
        Arguments.of(ModelSpec.tinyKLlama(), BlockPacker.Q6_K, 2e-3),
        Arguments.of(ModelSpec.tinyKLlama(), BlockPacker.Q5_K, 2e-3),
        Arguments.of(ModelSpec.tinyQwen2(), BlockPacker.Q5_0, 2e-3),
        Arguments.of(ModelSpec.tinyLlama(), BlockPacker.Q4_1, 2e-3),
        Arguments.of(ModelSpec.tinyQwen2(), BlockPacker.Q5_1, 2e-3));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void prefillAndDecodeStayWithinToleranceOfTheDenseReference(ModelSpec spec, int type, double tolerance,
      @TempDir Path dir) throws IOException {
    RandomModel rm = new RandomModel(spec, SEED);
    Path file = dir.resolve("m.gguf");
    rm.writeGguf(file, type);
    LoadedModel m = LoadedModel.load(file);
    NaiveReference ref = new NaiveReference(spec, (name, rows, cols) -> dequantized(rm, name, rows, cols, type));
    double[] reference = ref.logits(PROMPT);
    double[] exact = reference;
    // products with Q8_0 / Q4_0 weights take activations rounded as llama.cpp rounds them
    if (m.weights().output().dotsQuantized()) {
      reference = ref.logits(PROMPT, NaiveReference.ActivationRounding.ALL);
      tolerance = ROUNDED_TOLERANCE;
    }
    try (m; Parallel three = new Parallel(3); Parallel one = new Parallel(1)) {
      // (a) whole prompt as one prefill batch, 3 threads
      float[] batched = run(m, three, PROMPT.length);
      // (b) one token at a time through the decode path, 1 thread
      float[] stepwise = run(m, one, 1);
      // (c) chunks of 5 (prefill batches attending to earlier cached chunks)
      float[] chunked = run(m, three, 5);
      String what = spec.arch() + " type " + type + " seed " + SEED;
      // the batched prefill (17 tokens) runs on the native GEMM where it is active: quantised weights in bfloat16
      boolean bf16 = NativeGemm.multipliesInBf16(m.weights().layers()[0].wq(), PROMPT.length);
      double[] batchedReference = bf16 ? ref.logits(PROMPT, m.weights().output().dotsQuantized()
          ? NaiveReference.ActivationRounding.ALL : NaiveReference.ActivationRounding.NONE, true) : reference;
      assertThat(maxDiff(batched, batchedReference)).as("batched vs reference%s, %s", bf16 ? " (bf16 layers)" : "",
          what).isLessThanOrEqualTo(tolerance);
      assertThat(maxDiff(stepwise, reference)).as("stepwise vs reference, " + what).isLessThanOrEqualTo(tolerance);
      assertThat(maxDiff(chunked, reference)).as("chunked vs reference, " + what).isLessThanOrEqualTo(tolerance);
      System.out.printf("%s: max |logit - reference| %.2e, rounding moved the reference by up to %.2e; batched vs its "
          + "reference%s %.2e%n", what, maxDiff(batched, reference), maxDiff(exact, reference),
          bf16 ? " with bf16 layers" : "", maxDiff(batched, batchedReference));
      assertThat(spread(reference)).as("logits must not be flat").isGreaterThan(1.0);
    }
  }

  private static float[] run(LoadedModel m, Parallel par, int chunk) {
    Transformer t = new Transformer(m.config(), m.weights(), par);
    ModelConfig c = m.config();
    KvCache cache = new DenseKvCache(c.layers(), c.kvHeads(), c.headDim(), 64);
    float[] logits = null;
    for (int start = 0; start < PROMPT.length; start += chunk) {
      int n = Math.min(chunk, PROMPT.length - start);
      int[] ids = java.util.Arrays.copyOfRange(PROMPT, start, start + n);
      logits = t.forward(ids, n, start, cache, AttentionStrategies.dense(), start + n == PROMPT.length);
    }
    return logits;
  }

  /** The values the file holds for a tensor: matrices round-tripped through the type's encoding. */
  static float[] dequantized(RandomModel rm, String name, int rows, int cols, int type) {
    float[] v = rm.values(name, rows, cols);
    if (rows == 1 || type == TensorEncoding.F32) {
      return v;
    }
    var t = dev.longshot.vlm.tensor.FloatTensor.of(dev.longshot.vlm.tensor.GgmlType.ofId(type),
        java.nio.ByteBuffer.wrap(TensorEncoding.encode(v, type)), v.length);
    float[] out = new float[v.length];
    t.copyTo(0, out, 0, v.length);
    return out;
  }

  static double maxDiff(float[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static double spread(double[] a) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double v : a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  }
}
