package dev.longshot.vlm.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where oneDNN cannot run, the Java GEMM does, with one log line and no stack trace: forked JVMs (the choice is made
 * once per JVM) told they run on another platform ({@code -Dorg.bytedeco.javacpp.platform=linux-arm64}, so the
 * preset has no natives for them) or with the native path turned off ({@code -Dlongshot.vlm.native-gemm=false}) run a
 * Q8_0 prefill product ({@link Probe}) and print what the Java GEMM in this JVM computes, to the bit. Where oneDNN runs,
 * a JVM past JavaCPP's physical-memory limit still runs the product natively.
 */
class NativeGemmFallbackTest {
  private static final int N = 20;
  private static final int ROWS = 37;
  private static final int COLS = 96;

  @Test
  void withoutTheNativeLibraryTheJavaGemmRunsWithOneLogLine() throws Exception {
    String expected = Probe.run(true);
    assertFallback("-Dorg.bytedeco.javacpp.platform=linux-arm64", "oneDNN not used: no oneDNN natives for linux-arm64 in this build",
        expected);
    assertFallback("-D" + NativeGemm.PROPERTY + "=false", "forced by -D" + NativeGemm.PROPERTY + "=false", expected);
  }

  /**
   * JavaCPP refuses native allocations once the process's resident memory passes a multiple of the heap limit
   * ({@code org.bytedeco.javacpp.maxPhysicalBytes}), a rule that a process reading memory-mapped weights with a small
   * heap breaks by design: at {@code -Xmx64m} a mapped 0.5B model's first prefill died with "OutOfMemoryError:
   * Physical memory usage is too high". Here a JVM at {@code -Xmx24m} holds 192 MiB of touched direct memory (as
   * resident weights would be) and runs a product. Where oneDNN does not run on this machine the Java GEMM answers and the test
   * shows nothing about the rule.
   */
  @Test
  void aSmallHeapDoesNotStopTheNativeGemm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx24m", "-XX:MaxDirectMemorySize=1g", "-cp", System.getProperty("java.class.path"), Probe.class.getName(), "192").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println(err.lines().filter(l -> l.contains("prefill GEMM")).findFirst().orElse("(no GEMM line)"));
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("WARNING: vlm-runtime");
    assertThat(out.strip()).startsWith("[[");
  }

  /**
   * Where JavaCPP's resident-memory limit is still on (the user set {@code org.bytedeco.javacpp.maxPhysicalBytes}, or
   * another JavaCPP library loaded its Pointer class before oneDNN with the default 4 x -Xmx), the native path makes
   * no JavaCPP allocation per product, so it still runs (here with the limit at 1 byte and no retries) and gives this
   * JVM's native results.
   */
  @Test
  void javaCppsPhysicalMemoryLimitDoesNotStopTheNativePath() throws Exception {
    assumeTrue(NativeGemm.active(), "the native path does not run here: " + NativeGemm.status());
    String err = assertProbe(Probe.run(false), "-Dorg.bytedeco.javacpp.maxPhysicalBytes=1",
        "-Dorg.bytedeco.javacpp.maxRetries=0");
    assertThat(err.lines().filter(l -> l.contains("prefill GEMM"))).as(err).singleElement().asString()
        .startsWith("INFO: vlm-runtime prefill GEMM: oneDNN ");
  }

  private static void assertFallback(String flag, String reason, String expected) throws Exception {
    String err = assertProbe(expected, flag);
    assertThat(err.lines().filter(l -> l.contains("prefill GEMM"))).as(err)
        .containsExactly("INFO: vlm-runtime prefill GEMM: Java (" + reason + ")");
  }

  /** Runs {@link Probe} in a JVM with {@code flags}: exit 0, {@code expected} printed, no stack trace; its stderr. */
  private static String assertProbe(String expected, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
    command.addAll(List.of(flags));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out.strip()).as(err).isEqualTo(expected);
    assertThat(err).doesNotContain("Exception").doesNotContain("Error").doesNotContain("\tat ")
        .doesNotContain("Warning:");
    return err;
  }

  /** Runs one prefill product and prints its outputs' bits. */
  public static final class Probe {
    private Probe() {}

    /** @param args optionally the MiB of native memory to hold resident while the product runs */
    public static void main(String[] args) {
      ByteBuffer resident = ByteBuffer.allocateDirect((args.length > 0 ? Integer.parseInt(args[0]) : 0) << 20);
      while (resident.hasRemaining()) {
        resident.put((byte) 1);
      }
      System.out.println(run(false));
      java.lang.ref.Reference.reachabilityFence(resident);
      System.exit(0);
    }

    static String run(boolean javaOnly) {
      SplittableRandom r = new SplittableRandom(7);
      float[] w = NativeGemmTest.random(r, ROWS * COLS);
      FloatTensor t = FloatTensor.of(GgmlType.Q8_0,
          ByteBuffer.wrap(TensorEncoding.encode(w, GgmlType.Q8_0.id())).order(ByteOrder.LITTLE_ENDIAN), w.length);
      float[][] xs = new float[N][];
      for (int i = 0; i < N; i++) {
        xs[i] = NativeGemmTest.random(r, COLS);
      }
      float[][] outs = new float[N][ROWS];
      try (Parallel par = new Parallel(2)) {
        Runnable product = () -> Matmul.matmul(par, t, xs, outs, N, ROWS, COLS);
        if (javaOnly) {
          NativeGemm.javaOnly(product);
        } else {
          product.run();
        }
      }
      return Arrays.deepToString(outs);
    }
  }
}
