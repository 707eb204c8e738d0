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
   * JavaCPP refuses its own allocations once the process's resident size passes {@code maxPhysicalBytes} (4 x -Xmx by
   * default), which mapped weights and a small heap reach: the native path makes none per product, so it still runs
   * (here with the limit at 1 byte and no retries) and gives this JVM's native results.
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

    public static void main(String[] args) {
      System.out.println(run(false));
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
