package dev.longshot.vlm.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.TensorEncoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole model with the scalar kernels forced ({@code -Dlongshot.vlm.scalar=true}, in a forked JVM because the
 * choice is made once per JVM) against the Vector API kernels in this JVM: same greedy path, logits within 1e-3
 * (only the summation order differs).
 */
class ScalarKernelsTest {
  @Test
  void scalarAndVectorKernelsGiveTheSameLogits(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("m.gguf");
    new RandomModel(ModelSpec.tinyQwen2(), 21).writeGguf(model, TensorEncoding.Q8_0);
    String prompt = "the answer is on the wall";
    String[] vectorOut = new String[1];
    // the Java kernels on both sides (a prompt of 16+ tokens would take the native GEMM here: NativeGemmTest)
    dev.longshot.vlm.tensor.NativeGemm.javaOnly(() -> {
      try {
        vectorOut[0] = LogitsDump.dump(model, prompt);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String vector = vectorOut[0];
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dlongshot.vlm.scalar=true", "-cp",
        System.getProperty("java.class.path"), LogitsDump.class.getName(), model.toString(), prompt)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String scalar = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String[] v = vector.strip().split("\n");
    String[] s = scalar.strip().split("\n");
    assertThat(v[0]).startsWith("kernels=vector");
    assertThat(s[0]).isEqualTo("kernels=scalar");
    assertThat(s).hasSameSizeAs(v).hasSize(5);
    for (int step = 1; step < v.length; step++) {
      String[] a = v[step].split(" ");
      String[] b = s[step].split(" ");
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.length; i++) {
        assertThat(Float.parseFloat(b[i])).as("step %d logit %d", step, i)
            .isCloseTo(Float.parseFloat(a[i]), org.assertj.core.api.Assertions.within(1e-3f));
      }
    }
  }
}
