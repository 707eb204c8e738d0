package dev.longshot.vlm.tensor;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Prefill's batch products through a native GEMM: oneDNN's matmul ({@code OneDnnGemm}, src/main/java22, through the
 * JavaCPP preset), where it loads. Each weight matrix is dequantised once per call by the tensor's own
 * {@link FloatTensor#copyTo} (whatever its storage layout), in slices of rows written to native memory by all of
 * {@link Parallel}'s threads, and multiplied there with the activations of the whole batch. Weights of the quantised
 * types ({@link Precision#BF16}) are multiplied in bfloat16 with float32 sums: weights and activations (the latter first
 * rounded as {@link Q8Activation} rounds them where the Java GEMM and llama.cpp round them) converted to bfloat16,
 * round to nearest even, on AMX tiles or AVX-512 BF16 dot products. F32 / F16 / BF16 weights ({@link Precision#F32})
 * are multiplied in float32.
 *
 * <p>It runs where all of these hold, else the Java GEMM ({@link Matmul}) does, and the reason is logged once: Java
 * 22+ (the thread control below needs the FFM API), the library loads (linux-x86_64), the CPU has AVX-512 BF16 (on
 * narrower CPUs oneDNN would emulate bf16 and the Java kernels are the measured path), and the system property
 * {@value #PROPERTY} is not {@code false}. oneDNN's OpenMP threads follow the runtime's thread count per call
 * ({@code omp_set_num_threads} on the calling thread) and sleep as soon as a product ends ({@code OMP_WAIT_POLICY
 * PASSIVE} unless the environment sets one), so nothing spins between products. A native failure during a product
 * ({@link NativeFailure}: a status from the library, a missing symbol) is logged once and turns the native path off
 * for the JVM; that product is recomputed by the Java GEMM. Any other exception (bad input, a closed model) reaches
 * the caller as the Java GEMM's would, and the native path stays on.
 */
public abstract class NativeGemm {
  /** {@code -Dlongshot.vlm.native-gemm=false}: always the Java GEMM. */
  public static final String PROPERTY = "longshot.vlm.native-gemm";
  /** Fewest activations per call worth the native path: below it the per-call dequantisation is not amortised. */
  static final int MIN_TOKENS = 16;
  private static final String CLASS = "dev.longshot.vlm.tensor.OneDnnGemm";
  private static final System.Logger LOG = System.getLogger(NativeGemm.class.getName());
  private static volatile boolean failed;
  private static final ThreadLocal<Boolean> JAVA_HERE = ThreadLocal.withInitial(() -> false);
  private static final ThreadLocal<Boolean> BF16_HERE = ThreadLocal.withInitial(() -> false);
  /** Dequantised weights per native product (floats): bounds the native weight buffer. Tests lower it. */
  static volatile long sliceFloats = 1L << 22;
  /** Activations per native product: bounds the native output buffer. Tests lower it. */
  static volatile int tokenChunk = 1024;

  /** How a job's products are computed natively. */
  enum Precision {
    /** bfloat16 products, float32 sums: weights of the quantised types. */
    BF16,
    /** float32 throughout: F32, F16 and BF16 weights. */
    F32
  }

  /**
   * Native buffer bytes kept between products: a buffer grown past it (a long prompt's activations, its products'
   * results) is freed when the product ends. Tests lower it.
   */
  static volatile long keptBufferBytes = 64L << 20;

  /** Bytes of native buffers held now (activations, weights, results, scratch): for the test of the cap above. */
  long bufferBytes() {
    return 0;
  }

  /** One line naming the library, its instruction set and the precision per weight type. */
  abstract String describe();

  /**
   * {@code jobs[j].outs[t][r] = sum_c w_j[r][c] * x_t[c]} for {@code t < n}, all jobs' weights of one
   * {@link Precision}, where {@code x_t} is {@code xs[t]}, rounded as {@link Q8Activation#round} rounds it when
   * {@code rounds}; throws on a native failure.
   */
  abstract void multiply(Parallel par, float[][] xs, int n, int cols, boolean rounds, Precision precision,
      Matmul.Job[] jobs);

  /** The precision the native path uses for {@code w} on this thread (see {@link #bf16Products}). */
  static Precision precision(FloatTensor w) {
    if (BF16_HERE.get()) {
      return Precision.BF16;
    }
    return switch (w.type()) {
      case F32, F16, BF16 -> Precision.F32;
      default -> Precision.BF16;
    };
  }

  /**
   * Bidirectional multi-head attention natively in bfloat16 (see {@link #attendBf16}); throws on a native failure.
   */
  abstract void attend(Parallel par, float[][] q, float[][] k, float[][] v, float[][] out, int n, int heads,
      int headDim, float scale);

  /**
   * {@code out[t][h hd + i] = sum_j softmax_j(bf16(scale q_t,h) . bf16(k_j,h)) v_j,h[i]} (every token sees every token;
   * {@code q}, {@code k}, {@code v}, {@code out} are {@code [n][heads * headDim]}) on the native library: both
   * products in bfloat16 with float32 sums, the probabilities rounded to bfloat16 for the second, all heads at once,
   * the {@code n x n} scores kept in native memory. Returns false, writing nothing, where the Java path must run (no
   * native library, fewer than {@value #MIN_TOKENS} tokens, inside {@link #javaOnly}, or a {@link NativeFailure},
   * logged once, after which the Java GEMM runs from then on): for the vision tower's bf16 precision.
   */
  public static boolean attendBf16(Parallel par, float[][] q, float[][] k, float[][] v, float[][] out, int n,
      int heads, int headDim, float scale) {
    NativeGemm g = instance();
    if (g == null || n < MIN_TOKENS || JAVA_HERE.get()) {
      return false;
    }
    try {
      g.attend(par, q, k, v, out, n, heads, headDim, scale);
      return true;
    } catch (NativeFailure | LinkageError e) { // as tryMultiply: anything else is the caller's to see
      failed = true;
      LOG.log(Level.WARNING, "vlm-runtime prefill GEMM: oneDNN attention failed (" + oneLine(e) + "); the Java GEMM "
          + "runs from now on");
      return false;
    }
  }

  /** The loaded native GEMM, or null where it does not run here (the reason logged once). */
  static NativeGemm instance() {
    return failed ? null : Holder.INSTANCE;
  }

  /** Whether products run natively in this JVM: for tests and benchmarks, which say which path they checked. */
  public static boolean active() {
    return instance() != null;
  }

  /**
   * Runs {@code body} with the products this thread starts on the Java GEMM: for tests of the Java kernels and for
   * benchmarks that compare the two paths in one run.
   */
  public static void javaOnly(Runnable body) {
    boolean before = JAVA_HERE.get();
    JAVA_HERE.set(true);
    try {
      body.run();
    } finally {
      JAVA_HERE.set(before);
    }
  }

  /**
   * Runs {@code body} with the native products this thread starts taking {@link Precision#BF16} for every weight type,
   * F32 / F16 / BF16 included (weights and activations rounded to bfloat16, float32 sums): for callers that choose
   * speed over float32 products, such as the vision tower's {@code bf16} precision. Where the Java GEMM runs, nothing
   * changes.
   */
  public static void bf16Products(Runnable body) {
    boolean before = BF16_HERE.get();
    BF16_HERE.set(true);
    try {
      body.run();
    } finally {
      BF16_HERE.set(before);
    }
  }

  /**
   * Whether a prefill of {@code n} activations multiplies {@code w} natively in bfloat16: for tests that state the
   * rounding their reference applies.
   */
  public static boolean multipliesInBf16(FloatTensor w, int n) {
    return instance() != null && n >= MIN_TOKENS && precision(w) == Precision.BF16;
  }

  /** One line for benchmark output: the native library or why the Java GEMM runs. */
  public static String status() {
    NativeGemm g = instance();
    return g != null ? g.describe() : "Java GEMM (" + Holder.WHY + ")";
  }

  /**
   * Runs the products natively when the path is loaded and worth it, rounding the activations of the jobs that
   * round them ({@link Matmul#roundsActivations}) as the Java GEMM does; returns false (nothing written that the Java
   * GEMM does not overwrite) when the Java GEMM must run instead.
   */
  static boolean tryMultiply(Parallel par, float[][] xs, int n, int cols, Matmul.Job[] jobs) {
    NativeGemm g = instance();
    if (g == null || n < MIN_TOKENS || JAVA_HERE.get()) {
      return false;
    }
    try {
      for (Precision p : Precision.values()) {
        for (boolean rounds : new boolean[] {true, false}) {
          Matmul.Job[] part = Arrays.stream(jobs).filter(j -> precision(j.w()) == p && Matmul.roundsActivations(j, cols)
              == rounds).toArray(Matmul.Job[]::new);
          if (part.length > 0) {
            g.multiply(par, xs, n, cols, rounds, p, part);
          }
        }
      }
      return true;
    } catch (NativeFailure | LinkageError e) { // anything else (bad input, a closed model) is the caller's to see
      failed = true;
      LOG.log(Level.WARNING, "vlm-runtime prefill GEMM: oneDNN failed (" + oneLine(e) + "); the Java GEMM runs from "
          + "now on");
      return false;
    }
  }

  /** A failure of the native library itself (a status, a missing symbol): turns the native path off for the JVM. */
  static final class NativeFailure extends IllegalStateException {
    NativeFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code dst[i] = bfloat16(src[i])} for {@code i < n}: the top 16 bits of the float rounded to nearest, ties to
   * even (as AVX-512 BF16's {@code vcvtneps2bf16}); NaN stays NaN.
   */
  static void toBf16(float[] src, short[] dst, int n) {
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToRawIntBits(src[i]);
      dst[i] = (bits & 0x7fffffff) > 0x7f800000 ? (short) 0x7fc0 : (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
  }

  /** The exception's message (its class where it has none) as one line of at most 300 characters. */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  /** Loads the native GEMM on first use (a prefill), once per JVM. */
  private static final class Holder {
    static final String WHY;
    static final NativeGemm INSTANCE;

    static {
      NativeGemm g = null;
      String why;
      if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
        why = "forced by -D" + PROPERTY + "=false";
      } else if (!Kernels.VECTORIZED) {
        why = "scalar kernels forced";
      } else if (Runtime.version().feature() < 22) {
        why = "oneDNN's thread control needs Java 22+, this is Java " + Runtime.version().feature();
      } else {
        try {
          g = (NativeGemm) Class.forName(CLASS).getMethod("open").invoke(null);
          why = null;
        } catch (InvocationTargetException e) {
          why = "oneDNN not used: " + oneLine(e.getCause() == null ? e : e.getCause());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          why = "oneDNN not used: " + oneLine(e);
        }
      }
      INSTANCE = g;
      WHY = why;
      LOG.log(Level.INFO, "vlm-runtime prefill GEMM: " + (g != null ? g.describe() : "Java (" + why + ")"));
    }
  }
}
