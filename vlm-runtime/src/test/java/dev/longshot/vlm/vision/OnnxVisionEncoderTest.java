package dev.longshot.vlm.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longshot.config.VisionPrecision;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.tensor.Parallel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX vision tower ({@link OnnxVisionEncoder}, ONNX Runtime) against the Java tower ({@link VisionEncoder}) and
 * the double-precision reference on the same tiny random weights: the ONNX graph is written by {@link TinyOnnxTower}
 * from standard operators with the interface of SmolVLM's {@code onnx/vision_encoder.onnx}.
 */
class OnnxVisionEncoderTest {
  private static final long SEED = 777L;

  @Test
  void onnxTowerAgreesWithTheJavaTowerAndTheReference(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    Path onnx = Files.createDirectories(dir.resolve("onnx")).resolve("vision_encoder.onnx");
    TinyOnnxTower.write(rm, onnx);
    VisionConfig vc;
    VisionWeights vw;
    try (HfVisionLoader loader = new HfVisionLoader(dir)) {
      vc = loader.config(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("config.json")
          .toFile()), rm.text.spec.dim());
      vw = loader.weights(vc);
    }
    int side = rm.vision.imageSize();
    SplittableRandom r = new SplittableRandom(SEED);
    try (Parallel par = new Parallel(2);
        OnnxVisionEncoder ort = OnnxVisionEncoder.open(dir.resolve(OnnxVisionEncoder.FILE), vc)) {
      assertThat(ort.provider()).isEqualTo("CPU"); // the CPU runtime is on this class path
      VisionEncoder java = new VisionEncoder(vc, vw, par, VisionPrecision.F32);
      for (int image = 0; image < 3; image++) {
        float[] pixels = new float[3 * side * side];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[][] a = ort.encode(pixels, side, side);
        float[][] b = java.encode(pixels, side, side);
        double[][] ref = new VisionReference(rm).encode(pixels);
        assertThat(a.length).isEqualTo(vc.imageSeqLen()).isEqualTo(b.length);
        double javaVsOnnx = 0;
        double onnxVsRef = 0;
        double scale = 0;
        for (int t = 0; t < a.length; t++) {
          for (int i = 0; i < a[t].length; i++) {
            javaVsOnnx = Math.max(javaVsOnnx, Math.abs(a[t][i] - b[t][i]));
            onnxVsRef = Math.max(onnxVsRef, Math.abs(a[t][i] - ref[t][i]));
            scale = Math.max(scale, Math.abs(ref[t][i]));
          }
        }
        System.out.printf("onnx tower image %d: max |java - onnx| %.2e, max |onnx - reference| %.2e (scale %.2f)%n",
            image, javaVsOnnx, onnxVsRef, scale);
        assertThat(scale).isGreaterThan(0.1);
        assertThat(javaVsOnnx).as("max |java - onnx|, seed %d image %d", SEED, image).isLessThanOrEqualTo(1e-4);
        assertThat(onnxVsRef).as("max |onnx - reference|, seed %d image %d", SEED, image).isLessThanOrEqualTo(1e-4);
      }
    }
  }

  @Test
  void aSmolVlmWithVisionEncoderOnnxGivesTheSameEmbeddingsAndTokensAsTheJavaTower(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    rm.writeHuggingFace(dir);
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 40; x++) {
        img.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | 128);
      }
    }
    var picture = dev.longshot.vlm.multimodal.SmolVlmProcessor.Picture.still(dev.longshot.vlm.multimodal.RgbImage.of(img));
    dev.longshot.config.VlmSettings javaTower = new dev.longshot.config.VlmSettings(dir, 1, 512, 8,
        dev.longshot.config.KvPolicy.FULL, 1.0, 0.5, dev.longshot.config.KvMerge.PIVOTAL,
        dev.longshot.config.VlmAttention.DENSE, null, dev.longshot.config.VisionEncoder.JAVA, false, VisionPrecision.F32);
    dev.longshot.config.VlmSettings onnx = new dev.longshot.config.VlmSettings(dir, 1, 512, 8,
        dev.longshot.config.KvPolicy.FULL, 1.0, 0.5, dev.longshot.config.KvMerge.PIVOTAL,
        dev.longshot.config.VlmAttention.DENSE, null, dev.longshot.config.VisionEncoder.ONNX);
    assertThatThrownBy(() -> dev.longshot.vlm.multimodal.SmolVlm.load(dir, onnx))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("onnx/vision_encoder.onnx is missing");
    TinyOnnxTower.write(rm, Files.createDirectories(dir.resolve("onnx")).resolve("vision_encoder.onnx"));
    var settings = dev.longshot.vlm.sample.GenerationSettings.greedy(8);
    try (var a = dev.longshot.vlm.multimodal.SmolVlm.load(dir, javaTower);
        var b = dev.longshot.vlm.multimodal.SmolVlm.load(dir, onnx)) {
      assertThat(a.onnxVisionEncoder()).isNull();
      assertThat(b.onnxVisionEncoder()).isNotNull();
      var pa = a.prompt("<image>What is it?", java.util.List.of(picture));
      var pb = b.prompt("<image>What is it?", java.util.List.of(picture));
      assertThat(pb.ids()).containsExactly(pa.ids());
      float[][] ea = a.embeddings(pa);
      float[][] eb = b.embeddings(pb);
      double max = 0;
      int vision = 0;
      for (int i = 0; i < ea.length; i++) {
        assertThat(eb[i] == null).isEqualTo(ea[i] == null);
        if (ea[i] != null) {
          vision++;
          for (int j = 0; j < ea[i].length; j++) {
            max = Math.max(max, Math.abs(ea[i][j] - eb[i][j]));
          }
        }
      }
      assertThat(vision).isEqualTo(pa.layout().visionRanges().stream().mapToInt(r -> r.length()).sum()).isPositive();
      assertThat(max).as("max |java - onnx| over the prompt's %d image embeddings", vision).isLessThanOrEqualTo(1e-4);
      assertThat(b.generate(pb, settings, t -> { }, null)).isEqualTo(a.generate(pa, settings, t -> { }, null));
    }
  }

  @Test
  void aMissingOrMismatchedOnnxTowerFailsNamingTheFile(@TempDir Path dir) throws Exception {
    RandomSmolVlm rm = RandomSmolVlm.tiny(SEED);
    VisionConfig vc = new VisionConfig(32, 64, 2, 4, 32, 4, 1e-6f, VisionActivation.GELU_TANH, 2, rm.text.spec.dim());
    assertThatThrownBy(() -> OnnxVisionEncoder.open(dir.resolve("nothing.onnx"), vc))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("nothing.onnx is missing");
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not protobuf");
    assertThatThrownBy(() -> OnnxVisionEncoder.open(junk, vc)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("junk.onnx");
    Path onnx = dir.resolve("tower.onnx");
    TinyOnnxTower.write(rm, onnx);
    VisionConfig wider = new VisionConfig(32, 64, 2, 4, 32, 4, 1e-6f, VisionActivation.GELU_TANH, 2, 128);
    try (OnnxVisionEncoder ort = OnnxVisionEncoder.open(onnx, wider)) {
      assertThatThrownBy(() -> ort.encode(new float[3 * 32 * 32], 32, 32)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("tower.onnx").hasMessageContaining("[1, 16, 64]")
          .hasMessageContaining("expected [1, 16, 128]");
    }
  }
}
