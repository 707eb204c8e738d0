package dev.longshot.ingest.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Small image helpers on {@code TYPE_3BYTE_BGR} images. */
public final class Images {
  private Images() {}

  /** {@code img} rotated clockwise by 0, 90, 180 or 270 degrees (a new image unless 0). */
  public static BufferedImage rotate(BufferedImage img, int degrees) {
    if (degrees % 360 == 0) {
      return img;
    }
    BufferedImage src = toBgr(img);
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = degrees % 180 != 0;
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] s = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
    byte[] d = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    int ow = out.getWidth();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int nx;
        int ny;
        switch (degrees % 360) {
          case 90 -> { nx = h - 1 - y; ny = x; }
          case 180 -> { nx = w - 1 - x; ny = h - 1 - y; }
          default -> { nx = y; ny = w - 1 - x; }
        }
        int si = (y * w + x) * 3;
        int di = (ny * ow + nx) * 3;
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
      }
    }
    return out;
  }

  /** {@code img} scaled so its longest side is at most {@code maxSide} (never upscaled). */
  public static BufferedImage fit(BufferedImage img, int maxSide) {
    int w = img.getWidth();
    int h = img.getHeight();
    if (Math.max(w, h) <= maxSide) {
      return img;
    }
    double s = maxSide / (double) Math.max(w, h);
    return scale(img, Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s)));
  }

  /** {@code img} scaled to {@code w} x {@code h} with bilinear filtering, same type. */
  public static BufferedImage scale(BufferedImage img, int w, int h) {
    int type = img.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_3BYTE_BGR : img.getType();
    BufferedImage out = new BufferedImage(w, h, type);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(img, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** {@code img} as {@code TYPE_3BYTE_BGR} (itself when it already is). */
  public static BufferedImage toBgr(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return img;
    }
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return out;
  }
}
