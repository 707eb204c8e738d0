package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd JPEGs: a CMYK picture as ImageMagick writes it (YCCK, Adobe APP14 transform 2, inverted samples;
 * {@code src/test/resources/images/README.md} says how it was made) converts to the RGB ImageMagick itself gives
 * for it. Before, Java 25's ImageIO decoded it without complaint into wrong colours (the blue 29,120,199 came back as
 * 95,182,229), and Java 21's refused it.
 */
class RgbImageTest {
  private static Path resource(String name) throws Exception {
    return Path.of(RgbImageTest.class.getResource("/images/" + name).toURI());
  }

  @Test
  void aCmykJpegConvertsToTheColoursImageMagickGivesForIt() throws Exception {
    RgbImage cmyk = RgbImage.read(resource("cmyk-ycck.jpg"));
    BufferedImage reference = ImageIO.read(resource("cmyk-ycck-imagemagick-srgb.png").toFile());
    assertThat(cmyk.width()).isEqualTo(40);
    assertThat(cmyk.height()).isEqualTo(30);
    int worst = 0;
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int a = cmyk.rgb()[y * 40 + x];
        int b = reference.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          worst = Math.max(worst, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
        }
      }
    }
    // integer YCC rounding in libjpeg vs ours, and ImageMagick's 16-bit quantum: a level or two
    assertThat(worst).as("largest channel difference to ImageMagick's own conversion").isLessThanOrEqualTo(2);
    int corner = cmyk.rgb()[40 + 1];
    assertThat(new int[] {corner >> 16 & 0xFF, corner >> 8 & 0xFF, corner & 0xFF}).satisfies(c -> {
      assertThat(c[0]).isBetween(26, 34);
      assertThat(c[1]).isBetween(116, 124);
      assertThat(c[2]).isBetween(196, 204);
    });
  }

  @Test
  void aTruncatedCmykJpegFailsWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    byte[] bytes = Files.readAllBytes(resource("cmyk-ycck.jpg"));
    Path cut = dir.resolve("cut.jpg");
    Files.write(cut, java.util.Arrays.copyOf(bytes, 300));
    assertThatThrownBy(() -> RgbImage.read(cut)).hasMessageStartingWith(cut.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
