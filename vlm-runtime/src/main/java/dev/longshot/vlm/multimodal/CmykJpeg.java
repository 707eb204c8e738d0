package dev.longshot.vlm.multimodal;

import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * Four-channel (CMYK or YCCK) JPEGs, which Java's JPEG decoder refuses to turn into an image but decodes to raw
 * samples: read the raster and convert to RGB as Pillow does for Hugging Face's processor ({@code convert("RGB")} of
 * a CMYK image: {@code R = (255 - C) * (255 - K) / 255} with Pillow's rounding). An Adobe APP14 marker means the
 * samples are stored inverted (Photoshop's and ImageMagick's convention, which Pillow follows); with Adobe's transform
 * 2 (YCCK, what libjpeg writes for CMYK by default, so ImageMagick's {@code -colorspace CMYK} JPEGs) the first three
 * samples are JFIF YCbCr whose RGB decoding is C, M, Y (libjpeg's {@code ycck_cmyk_convert} stores 255 minus that, the
 * inverted convention), and K is stored inverted. Since JDK 23 or so ImageIO decodes such files itself, but ignores the
 * inversion (a blue of 30,120,200 came back as 95,182,229), so these files always take this path.
 */
final class CmykJpeg {
  private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

  private CmykJpeg() {}

  /** True when {@code reader} (input set) is the JPEG reader on a four-component image. */
  static boolean is(ImageReader reader) throws IOException {
    if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
      return false;
    }
    Node sof = find(tree(reader), "sof");
    return sof != null && sof.getAttributes().getNamedItem("numFrameComponents") != null
        && "4".equals(sof.getAttributes().getNamedItem("numFrameComponents").getNodeValue());
  }

  /** Decodes the raw samples and converts them to RGB. */
  static RgbImage read(ImageReader reader) throws IOException {
    Node adobe = find(tree(reader), "app14Adobe");
    int transform = adobe == null ? -1 : Integer.parseInt(adobe.getAttributes().getNamedItem("transform")
        .getNodeValue());
    Raster r = reader.readRaster(0, null);
    int w = r.getWidth();
    int h = r.getHeight();
    int[] px = new int[4];
    int[] rgb = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(x, y, px);
        if (transform == 2) {
          ycck(px);
        }
        if (adobe != null) {
          for (int i = 0; i < 4; i++) {
            px[i] = 255 - px[i];
          }
        }
        int nk = 255 - px[3];
        rgb[y * w + x] = (channel(px[0], nk) << 16) | (channel(px[1], nk) << 8) | channel(px[2], nk);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** Pillow's {@code cmyk2rgb}: {@code nk - MULDIV255(c, nk)}. */
  private static int channel(int c, int nk) {
    int t = c * nk + 128;
    return nk - (((t >> 8) + t) >> 8);
  }

  /** libjpeg's YCCK to (inverted) CMYK: {@code 255 - RGB(Y, Cb, Cr)}, K unchanged. */
  private static void ycck(int[] px) {
    double y = px[0];
    double cb = px[1] - 128.0;
    double cr = px[2] - 128.0;
    px[0] = 255 - clamp(y + 1.402 * cr);
    px[1] = 255 - clamp(y - 0.344136 * cb - 0.714136 * cr);
    px[2] = 255 - clamp(y + 1.772 * cb);
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static Node tree(ImageReader reader) throws IOException {
    IIOMetadata m = reader.getImageMetadata(0);
    return m == null ? null : m.getAsTree(FORMAT);
  }

  private static Node find(Node n, String name) {
    if (n == null) {
      return null;
    }
    if (name.equals(n.getNodeName())) {
      return n;
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node f = find(c, name);
      if (f != null) {
        return f;
      }
    }
    return null;
  }
}
