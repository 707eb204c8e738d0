package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The image processor's size rules (HF's helper functions, worked by hand), resampling and normalisation. */
class ImageProcessorTest {
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  @Test
  void sizeRulesFollowHuggingFacesHelpers() {
    // longest side to 64, the other int() then made even: 40x24 -> 64 x int(38.4)=38
    assertThat(ImageProcessor.rescaleToLongest(40, 24, 64)).containsExactly(64, 38);
    assertThat(ImageProcessor.rescaleToLongest(24, 41, 64)).containsExactly(38, 64); // int(37.46)=37 -> 38
    assertThat(ImageProcessor.rescaleToLongest(1, 300, 64)).containsExactly(1, 64); // int(0.21)=0 -> even 0 -> min 1
    assertThat(ImageProcessor.scaleBelow(5000, 100, 4096)).containsExactly(4096, 81);
    assertThat(ImageProcessor.scaleBelow(300, 200, 4096)).containsExactly(300, 200);
    // grown to multiples of 32 keeping the aspect: 64x38 -> 64 x ceil(38/32)*32 = 64x64; 100x30 -> 128 x 64
    assertThat(ImageProcessor.growToMultiple(64, 38, 32)).containsExactly(64, 64);
    assertThat(ImageProcessor.growToMultiple(100, 30, 32)).containsExactly(128, 64);
  }

  @Test
  void resamplingKeepsFlatColoursAndSameSizeIsACopy() {
    int[] flat = new int[50 * 30];
    Arrays.fill(flat, 0x336699);
    RgbImage img = new RgbImage(50, 30, flat);
    for (int[] size : new int[][] {{7, 3}, {64, 64}, {50, 31}, {200, 10}}) {
      RgbImage r = img.resize(size[0], size[1]);
      assertThat(r.rgb()).as("%dx%d", size[0], size[1]).containsOnly(0x336699);
    }
    assertThat(img.resize(50, 30)).isSameAs(img);
  }

  @Test
  void alphaIsCompositedOnWhiteAndValuesAreNormalised() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00FF0000); // fully transparent red -> white
    argb.setRGB(1, 0, 0xFF000000); // opaque black
    RgbImage img = RgbImage.of(argb);
    assertThat(img.rgb()).containsExactly(0xFFFFFF, 0x000000);
    ImageProcessor p = new ImageProcessor(new ImageProcessorConfig(0, 32, false, 1 / 255.0, HALF, HALF, 16));
    float[] v = p.normalise(img);
    // (255/255 - 0.5)/0.5 = 1, (0 - 0.5)/0.5 = -1, channels first
    assertThat(v).containsExactly(1f, -1f, 1f, -1f, 1f, -1f);
    ImageProcessor.Processed one = p.process(img, true);
    assertThat(one.tileCount()).isEqualTo(1);
    assertThat(one.tiles().get(0)).hasSize(3 * 32 * 32);
  }
}
