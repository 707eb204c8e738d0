package dev.longshot.vlm.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.KvMerge;
import dev.longshot.config.KvPolicy;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.GenerationStats;
import dev.longshot.vlm.multimodal.MultimodalPrompt;
import dev.longshot.vlm.multimodal.RgbImage;
import dev.longshot.vlm.multimodal.SmolVlm;
import dev.longshot.vlm.multimodal.SmolVlmProcessor;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end from a PNG through a tiny random SmolVLM (a Hugging Face directory the test writes): with
 * {@code vlm.kv-policy: lookm} the multimodal prompt's layout reaches the KV policy, the cache is compressed after
 * prefill (fewer bytes than the full cache, reported by {@link GenerationStats}), the first token is the full cache's,
 * and generation carries on; with {@code full} nothing changes.
 */
class SmolVlmKvCompressionTest {
  @Test
  void lookmCompressesTheCacheOfAnImagePrompt(@TempDir Path dir) throws Exception {
    Path hf = dir.resolve("hf");
    RandomSmolVlm.tiny(99L).writeHuggingFace(hf);
    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillOval(12, 10, 24, 20);
    g.dispose();
    Path png = dir.resolve("frame.png");
    ImageIO.write(img, "png", png.toFile());
    List<SmolVlmProcessor.Picture> pics = List.of(SmolVlmProcessor.Picture.still(RgbImage.read(png)));
    List<float[]> full = new ArrayList<>();
    List<float[]> lookm = new ArrayList<>();
    GenerationStats fullStats;
    GenerationStats lookmStats;
    try (SmolVlm m = SmolVlm.load(hf, new VlmSettings(hf, 2, 512, 8))) {
      MultimodalPrompt p = m.prompt("<image>What is in the picture?", pics);
      m.generate(p, GenerationSettings.greedy(6), s -> { }, (t, l) -> full.add(l));
      fullStats = m.textGenerator().lastStats();
    }
    try (SmolVlm m = SmolVlm.load(hf, new VlmSettings(hf, 2, 512, 8, KvPolicy.LOOKM, 0.2, 0.5, KvMerge.PIVOTAL))) {
      MultimodalPrompt p = m.prompt("<image>What is in the picture?", pics);
      assertThat(p.layout().visionTokens()).isGreaterThan(0);
      m.generate(p, GenerationSettings.greedy(6), s -> { }, (t, l) -> lookm.add(l));
      lookmStats = m.textGenerator().lastStats();
    }
    assertThat(fullStats.kvBytes()).isEqualTo(fullStats.kvBytesBefore());
    assertThat(lookmStats.kvBytesBefore()).isEqualTo(fullStats.kvBytesBefore());
    assertThat(lookmStats.kvBytes()).as("compressed").isLessThan(lookmStats.kvBytesBefore() / 2);
    double first = 0;
    for (int v = 0; v < full.get(0).length; v++) {
      first = Math.max(first, Math.abs(full.get(0)[v] - lookm.get(0)[v]));
    }
    assertThat(first).as("first token comes from the full-cache prefill").isLessThanOrEqualTo(1e-4);
    assertThat(lookm).hasSameSizeAs(full);
  }
}
